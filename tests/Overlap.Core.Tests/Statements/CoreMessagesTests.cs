using System.Text.RegularExpressions;
using Overlap.Core.Contracts;
using Overlap.Core.Tests.Contracts;

namespace Overlap.Core.Tests.Statements;

/// <summary>
/// Core's messages are read by server users and SDK callers as well as by the CLI, so they never name a CLI flag: the
/// CLI adds its flag names where it reports.
/// </summary>
public sealed partial class CoreMessagesTests
{
    [Fact]
    public void CoreSource_HasNoCliFlagInAString()
    {
        var core = Path.Combine(ContractSchemaTests.Root, "src", "Overlap.Core");
        var found = new List<string>();
        foreach (
            var file in Directory
                .EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f =>
                    !f.Contains(
                        $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
                        StringComparison.Ordinal
                    )
                )
        )
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (!code.StartsWith("//", StringComparison.Ordinal) && Flag().IsMatch(code))
                {
                    found.Add($"{Path.GetRelativePath(core, file)}:{i + 1}: {code}");
                }
            }
        }
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    [Fact]
    public void EmptyContract_IsRefusedWithoutNamingTheCli() =>
        Assert.Equal(
            "the contract is empty; start from the example in docs/contract.md, or draft one from scored examples",
            Assert.Throws<ContractException>(() => ContractParser.Parse(" \n")).Problem
        );

    // A flag inside a string literal: a quote, then anything but a quote, then --word (CSS custom properties and var(--x) excepted).
    [GeneratedRegex("\"[^\"]*(?<!var\\()(?<![\\w-])--[a-z][a-z0-9-]*(?![a-z0-9-]*:)")]
    private static partial Regex Flag();
}
