using System.CommandLine;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Cli.Commands;

/// <summary><c>overlap keys create --data DIR --role ROLE</c>: prints the new key alone on stdout.</summary>
internal static class KeysCommand
{
    public static Command Create(CliIo io, TimeProvider time)
    {
        var data = ServeCommand.DataOption();
        var role = new Option<string>("--role") { Description = "What the key may do: ingest, viewer, reviewer or admin.", Required = true };
        role.AcceptOnlyFromAmong("ingest", "viewer", "reviewer", "admin");
        var name = new Option<string?>("--name") { Description = "Who or what the key is for, shown in contract history." };
        var create = new Command("create", "Create an API key; the key is printed once, alone on stdout, and only its hash is stored.") { data, role, name };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var keyRole = Enum.Parse<KeyRole>(parse.GetValue(role)!, ignoreCase: true);
            var store = await DuckDbEventStore.OpenAsync(parse.GetValue(data)!, cancellationToken).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var key = await ApiKeys.CreateAsync(store, keyRole, parse.GetValue(name) ?? $"{keyRole.ToString().ToLowerInvariant()} key", time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                await io.Out.WriteLineAsync(key).ConfigureAwait(false);
                await io.ErrWriter.WriteLineAsync($"Created {Article(keyRole)} {RoleName(keyRole)} key. It is shown this once; keep it secret.").ConfigureAwait(false);
            }
            return ExitCodes.Pass;
        });
        var command = new Command("keys", "Manage the server's API keys.") { create };
        return command;
    }

    /// <summary>A role as written on the command line: "reviewer".</summary>
    public static string RoleName(KeyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>"a" or "an" before the role's name.</summary>
    public static string Article(KeyRole role) => role is KeyRole.Admin or KeyRole.Ingest ? "an" : "a";
}
