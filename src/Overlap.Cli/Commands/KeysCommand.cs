using System.CommandLine;
using Overlap.Server.Auth;
using Overlap.Storage;
using Spectre.Console;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap keys create|list|revoke</c>: a new key is printed once, alone on stdout; only its hash is stored. These
/// work on the store file, so while the server runs the same is done through its admin API or the Access page.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliIo io, TimeProvider time) =>
        new(
            "keys",
            "Manage the server's API keys (while it is stopped; while it runs, use /v1/admin/keys or the Access page)."
        )
        {
            CreateKey(io, time),
            List(io, time),
            Revoke(io, time),
        };

    private static Command CreateKey(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var role = new Option<string>("--role")
        {
            Description = "What the key may do: ingest, viewer, reviewer or admin.",
            Required = true,
        };
        role.AcceptOnlyFromAmong("ingest", "viewer", "reviewer", "admin");
        var name = new Option<string?>("--name")
        {
            Description = "Who or what the key is for, shown in lists and contract history.",
        };
        var expires = new Option<string?>("--expires")
        {
            Description =
                "When the key stops working: a duration such as 90d, or a date such as 2027-01-31 (UTC). Default: never.",
        };
        var create = new Command(
            "create",
            "Create an API key; the key is printed once, alone on stdout, and only its hash is stored."
        )
        {
            role,
            name,
            expires,
        };
        data.AddTo(create);
        create.SetAction(
            async (parse, cancellationToken) =>
            {
                var keyRole = Enum.Parse<KeyRole>(parse.GetValue(role)!, ignoreCase: true);
                var now = time.GetUtcNow();
                var (expiresAt, problem) = ApiKeys.ParseExpiry(parse.GetValue(expires), now);
                if (problem is not null)
                {
                    throw new UserException(ExitCodes.Usage, $"--expires: {problem}");
                }
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: false));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    var keyName = parse.GetValue(name) ?? $"{RoleName(keyRole)} key";
                    var (key, record) = await ApiKeys
                        .CreateAsync(store, keyRole, keyName, now, expiresAt, cancellationToken)
                        .ConfigureAwait(false);
                    await access
                        .RecordAsync(
                            time,
                            AuditActions.Change,
                            $"created key '{keyName}' ({RoleName(keyRole)}), id {record.Id}",
                            201,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    await io.Out.WriteLineAsync(key).ConfigureAwait(false);
                    var until = expiresAt is { } at ? $", expiring {ApiKeys.Day(at)}" : "";
                    await io
                        .ErrWriter.WriteLineAsync(
                            $"Created {Article(keyRole)} {RoleName(keyRole)} key (id {record.Id}{until}). It is shown this once; keep it secret."
                        )
                        .ConfigureAwait(false);
                }
                return ExitCodes.Pass;
            }
        );
        return create;
    }

    private static Command List(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var list = new Command(
            "list",
            "List the keys: id, name, role, created, expires, last used (never the key itself)."
        )
        { };
        data.AddTo(list);
        list.SetAction(
            async (parse, cancellationToken) =>
            {
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: true));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    var keys = await store.ListKeysAsync(cancellationToken).ConfigureAwait(false);
                    if (keys.Count == 0)
                    {
                        await io
                            .ErrWriter.WriteLineAsync(
                                "No keys yet; create one with 'overlap keys create --role viewer'."
                            )
                            .ConfigureAwait(false);
                        return ExitCodes.Pass;
                    }
                    var now = time.GetUtcNow();
                    var table = new Table().AddColumns(
                        "Id",
                        "Name",
                        "Role",
                        "Created",
                        "Expires",
                        "Last used",
                        "State"
                    );
                    foreach (var k in keys)
                    {
                        table.AddRow(
                            Markup.Escape(k.Id),
                            Markup.Escape(k.Name),
                            RoleName(k.Role),
                            ApiKeys.Day(k.CreatedAt),
                            k.ExpiresAt is { } e ? ApiKeys.Day(e) : "never",
                            k.LastUsedAt is { } u ? ApiKeys.Day(u) : "never",
                            Markup.Escape(
                                ApiKeys.Refusal(k, now) is { } refusal
                                    ? refusal.Replace("this key ", "", StringComparison.Ordinal)
                                    : "active"
                            )
                        );
                    }
                    io.OutConsole.Write(table);
                }
                return ExitCodes.Pass;
            }
        );
        return list;
    }

    private static Command Revoke(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var id = new Argument<string>("ID") { Description = "The key's id, as 'overlap keys list' shows it." };
        var revoke = new Command(
            "revoke",
            "Revoke a key: it stops working, and dashboard sessions signed in with it end."
        )
        {
            id,
        };
        data.AddTo(revoke);
        revoke.SetAction(
            async (parse, cancellationToken) =>
            {
                var keyId = parse.GetValue(id)!;
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: true));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    if (!await store.RevokeKeyAsync(keyId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                    {
                        var known = (await store.ListKeysAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(
                            k => k.Id == keyId
                        );
                        throw new UserException(
                            ExitCodes.DataError,
                            known is null
                                ? $"there is no key '{keyId}'; see 'overlap keys list'"
                                : $"the key '{keyId}' was revoked already, on {ApiKeys.Day(known.RevokedAt!.Value)}"
                        );
                    }
                    await access
                        .RecordAsync(time, AuditActions.Delete, $"revoked key {keyId}", 204, cancellationToken)
                        .ConfigureAwait(false);
                }
                await io
                    .ErrWriter.WriteLineAsync(
                        $"Revoked key {keyId}; it no longer works, and sessions signed in with it have ended."
                    )
                    .ConfigureAwait(false);
                return ExitCodes.Pass;
            }
        );
        return revoke;
    }

    /// <summary>A role as written on the command line: "reviewer".</summary>
    public static string RoleName(KeyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>"a" or "an" before the role's name.</summary>
    public static string Article(KeyRole role) => role is KeyRole.Admin or KeyRole.Ingest ? "an" : "a";
}
