using System.CommandLine;

namespace Overlap.Cli.Tests;

/// <summary>Every option of every command, given a value of the wrong kind: one error line naming it, exit 64, never a stack trace.</summary>
public sealed class OptionValueTests
{
    [Fact]
    public async Task EveryTypedOption_WrongValue_OneLineAndExit64()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = OverlapCli.Root(new CliIo(stdout, stderr));
        var checkedOptions = 0;
        foreach (var (path, command) in Commands(root, []))
        {
            foreach (
                var option in command.Options.Where(o =>
                    o.ValueType != typeof(bool)
                    && o.ValueType != typeof(string)
                    && o.ValueType != typeof(string[])
                    && !o.Name.StartsWith("--help", StringComparison.Ordinal)
                    && o.Name != "--version"
                )
            )
            {
                var (code, _, err) = await CliRun.RunAsync([.. path, option.Name, "abc"]);
                Assert.True(code == 64, $"overlap {string.Join(' ', path)} {option.Name} abc exited {code}: {err}");
                // Required options left out are named on their own lines; the wrong value gets exactly one.
                Assert.Single(ErrorLines(err), l =>
                    l.Contains(option.Name, StringComparison.Ordinal) && l.Contains("'abc'", StringComparison.Ordinal)
                );
                Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
                checkedOptions++;
            }
        }
        Assert.True(checkedOptions >= 10, $"only {checkedOptions} typed options were found");
    }

    [Theory]
    [InlineData("serve", "--urls", "5095")]
    [InlineData("serve", "--urls", "ftp://127.0.0.1:21")]
    [InlineData("serve", "--urls", "http://")]
    public async Task ServingCommands_UrlsThatIsNotAnAddress_OneLineAndExit64(
        string command,
        string option,
        string value
    )
    {
        using var folder = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(command, "--data", folder.PathOf("data"), option, value);
        Assert.Equal(64, code);
        AssertOneErrorLine(err, "--urls", "http://127.0.0.1:5080");
    }

    /// <summary>One <c>error:</c> line naming <paramref name="mentions"/> (the usage hint may follow), no stack trace.</summary>
    private static void AssertOneErrorLine(string err, params string[] mentions)
    {
        var errors = ErrorLines(err);
        Assert.True(errors.Count == 1, $"expected one error line, got:\n{err}");
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        foreach (var m in mentions)
        {
            Assert.Contains(m, errors[0], StringComparison.Ordinal);
        }
    }

    private static List<string> ErrorLines(string err) =>
        [
            .. err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("error:", StringComparison.Ordinal)),
        ];

    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            if (sub.Subcommands.Count == 0)
            {
                yield return (subPath, sub);
            }
            foreach (var nested in Commands(sub, subPath))
            {
                yield return nested;
            }
        }
    }
}
