using System.CommandLine;
using System.Text;
using Overlap.Core.Text;
using Overlap.Server.Auth;
using Overlap.Storage;
using Spectre.Console;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap users add|list|remove|set-password</c>: the people who sign in to the dashboard with a name and password.
/// A password comes from stdin with <c>--password-stdin</c>, or is generated and printed once, alone on stdout.
/// </summary>
internal static class UsersCommand
{
    public static Command Create(CliIo io, TimeProvider time)
    {
        var command = new Command("users", "Manage the people who sign in to the dashboard with a name and password.")
        {
            Add(io, time),
            List(io),
            Remove(io, time),
            SetPassword(io, time),
        };
        return command;
    }

    private static Argument<string> NameArgument() =>
        new("NAME") { Description = "The user's name: letters, digits and . _ @ - (an e-mail address will do)." };

    private static Option<bool> PasswordStdinOption() =>
        new("--password-stdin")
        {
            Description =
                "Read the password from standard input instead of generating one (a trailing newline is dropped).",
        };

    private static Command Add(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var name = NameArgument();
        var role = new Option<string>("--role")
        {
            Description =
                "What the user may do: viewer (sees), reviewer (sees and decides reviews) or admin (everything).",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. Users.Roles.Select(KeysCommand.RoleName)]);
        var stdin = PasswordStdinOption();
        var add = new Command(
            "add",
            "Add a user. Without --password-stdin a strong password is generated and printed once, alone on stdout."
        )
        {
            name,
            role,
            stdin,
        };
        data.AddTo(add);
        add.SetAction(
            async (parse, cancellationToken) =>
            {
                var userName = CheckedName(parse.GetValue(name)!);
                var userRole = Enum.Parse<KeyRole>(parse.GetValue(role)!, ignoreCase: true);
                var (password, generated) = await PasswordAsync(io, parse.GetValue(stdin), userName)
                    .ConfigureAwait(false);
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: false));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    if (await store.FindUserAsync(userName, cancellationToken).ConfigureAwait(false) is { } existing)
                    {
                        throw new UserException(
                            ExitCodes.DataError,
                            $"there is already a user '{existing.Name}'; choose another name, or use 'overlap users set-password {existing.Name}' to give them a new password"
                        );
                    }
                    var now = time.GetUtcNow();
                    var user = new UserRecord(
                        userName,
                        userRole,
                        Passwords.Hash(password),
                        Passwords.NewStamp(),
                        now,
                        now
                    );
                    if (!await store.AddUserAsync(user, cancellationToken).ConfigureAwait(false))
                    {
                        throw new UserException(
                            ExitCodes.DataError,
                            $"there is already a user '{userName}'; choose another name"
                        );
                    }
                    await access
                        .RecordAsync(
                            time,
                            AuditActions.Change,
                            $"added user '{userName}' ({KeysCommand.RoleName(userRole)})",
                            201,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                await ReportAsync(
                        io,
                        password,
                        generated,
                        $"Added {userName} as {KeysCommand.Article(userRole)} {KeysCommand.RoleName(userRole)}."
                    )
                    .ConfigureAwait(false);
                return ExitCodes.Pass;
            }
        );
        return add;
    }

    private static Command List(CliIo io)
    {
        var data = new StoreChoice();
        var list = new Command("list", "List the users with their role and when their password was last set.");
        data.AddTo(list);
        list.SetAction(
            async (parse, cancellationToken) =>
            {
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: true));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    var users = await store.ListUsersAsync(cancellationToken).ConfigureAwait(false);
                    if (users.Count == 0)
                    {
                        await io
                            .ErrWriter.WriteLineAsync(
                                "No users yet; add one with 'overlap users add NAME --role viewer'."
                            )
                            .ConfigureAwait(false);
                        return ExitCodes.Pass;
                    }
                    var table = new Table().AddColumns("Name", "Role", "Added", "Password set");
                    foreach (var u in users)
                    {
                        table.AddRow(
                            Markup.Escape(u.Name),
                            KeysCommand.RoleName(u.Role),
                            Day(u.CreatedAt),
                            Day(u.PasswordChangedAt)
                        );
                    }
                    io.OutConsole.Write(table);
                }
                return ExitCodes.Pass;
            }
        );
        return list;
    }

    private static Command Remove(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var name = NameArgument();
        var remove = new Command("remove", "Remove a user; their sessions end at once.") { name };
        data.AddTo(remove);
        remove.SetAction(
            async (parse, cancellationToken) =>
            {
                var userName = parse.GetValue(name)!;
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: true));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    if (!await store.RemoveUserAsync(userName, cancellationToken).ConfigureAwait(false))
                    {
                        throw await UnknownAsync(store, userName, cancellationToken).ConfigureAwait(false);
                    }
                    await access
                        .RecordAsync(time, AuditActions.Delete, $"removed user '{userName}'", 204, cancellationToken)
                        .ConfigureAwait(false);
                }
                await io.ErrWriter.WriteLineAsync($"Removed {userName}.").ConfigureAwait(false);
                return ExitCodes.Pass;
            }
        );
        return remove;
    }

    private static Command SetPassword(CliIo io, TimeProvider time)
    {
        var data = new StoreChoice();
        var name = NameArgument();
        var stdin = PasswordStdinOption();
        var set = new Command(
            "set-password",
            "Give a user a new password (generated and printed once unless --password-stdin); their open sessions end."
        )
        {
            name,
            stdin,
        };
        data.AddTo(set);
        set.SetAction(
            async (parse, cancellationToken) =>
            {
                var userName = parse.GetValue(name)!;
                var access = AccessStore.Open(data.Resolve(parse, io.Environment, mustExist: true));
                await using (access.ConfigureAwait(false))
                {
                    var store = access.Users;
                    var user = await store.FindUserAsync(userName, cancellationToken).ConfigureAwait(false)
                        ?? throw await UnknownAsync(store, userName, cancellationToken).ConfigureAwait(false);
                    var (password, generated) = await PasswordAsync(io, parse.GetValue(stdin), user.Name)
                        .ConfigureAwait(false);
                    await store
                        .SetPasswordAsync(
                            user.Name,
                            Passwords.Hash(password),
                            Passwords.NewStamp(),
                            time.GetUtcNow(),
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    await access
                        .RecordAsync(
                            time,
                            AuditActions.Change,
                            $"set a new password for user '{user.Name}'",
                            200,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    await ReportAsync(
                            io,
                            password,
                            generated,
                            $"Set a new password for {user.Name}; browsers signed in with the old one are signed out."
                        )
                        .ConfigureAwait(false);
                }
                return ExitCodes.Pass;
            }
        );
        return set;
    }

    private static string CheckedName(string name) =>
        Users.NameProblem(name) is { } problem ? throw new UserException(ExitCodes.Usage, problem) : name;

    /// <summary>The password from stdin (checked for strength) or a generated one.</summary>
    private static async Task<(string Password, bool Generated)> PasswordAsync(
        CliIo io,
        bool fromStdin,
        string userName
    )
    {
        if (!fromStdin)
        {
            return (Passwords.Generate(), true);
        }
        var password = await ReadSecretAsync(io).ConfigureAwait(false);
        return Passwords.Weakness(password, userName) is { } weakness
            ? throw new UserException(
                ExitCodes.DataError,
                $"{weakness}; nothing was changed (leave out --password-stdin to have one generated)"
            )
            : (password, false);
    }

    /// <summary>Everything piped in, less one trailing newline; typed at a terminal, one line without echo.</summary>
    private static async Task<string> ReadSecretAsync(CliIo io)
    {
        if (ReferenceEquals(io.In, Console.In) && !Console.IsInputRedirected)
        {
            await io.ErrWriter.WriteAsync("Password: ").ConfigureAwait(false);
            var typed = new StringBuilder();
            for (
                var key = Console.ReadKey(intercept: true);
                key.Key != ConsoleKey.Enter;
                key = Console.ReadKey(intercept: true)
            )
            {
                if (key.Key == ConsoleKey.Backspace)
                {
                    typed.Length = Math.Max(0, typed.Length - 1);
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    typed.Append(key.KeyChar);
                }
            }
            await io.ErrWriter.WriteLineAsync().ConfigureAwait(false);
            return typed.ToString();
        }
        var text = await io.In.ReadToEndAsync().ConfigureAwait(false);
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
    }

    /// <summary>A generated password alone on stdout (so it can be captured), what happened on stderr.</summary>
    private static async Task ReportAsync(CliIo io, string password, bool generated, string done)
    {
        if (generated)
        {
            await io.Out.WriteLineAsync(password).ConfigureAwait(false);
            done += " The password is shown this once; pass it on privately.";
        }
        await io.ErrWriter.WriteLineAsync(done).ConfigureAwait(false);
    }

    private static async Task<UserException> UnknownAsync(
        IUserStore store,
        string name,
        CancellationToken cancellationToken
    )
    {
        var names = (await store.ListUsersAsync(cancellationToken).ConfigureAwait(false)).Select(u => u.Name).ToList();
        var hint =
            names.Count == 0 ? "there are no users yet"
            : Suggestions.Nearest(name, names) is { } near ? $"did you mean '{near}'?"
            : "see 'overlap users list'";
        return new UserException(ExitCodes.NoUser, $"there is no user '{name}'; {hint}");
    }

    private static string Day(DateTimeOffset time) => ApiKeys.Day(time);
}
