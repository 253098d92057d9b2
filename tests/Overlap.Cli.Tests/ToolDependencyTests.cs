namespace Overlap.Cli.Tests;

/// <summary>
/// The overlap tool carries the product alone: the spam-filter demo is a sample of its own (samples/SpamDemo), so the
/// tool's restore graph holds no demo code, no ML.NET, no MimeKit and no testing clock.
/// </summary>
public sealed class ToolDependencyTests
{
    [Fact]
    public void TheToolRestoresWithoutTheDemoOrItsPackages() =>
        RestoreGraph.AssertHolds(
            "src/Overlap.Cli",
            present: ["Overlap.Server", "DuckDB.NET.Data.Full"],
            absent:
            [
                "SpamDemo",
                "Overlap.Demo",
                "Overlap.Client",
                "Microsoft.ML",
                "MimeKit",
                "Microsoft.Extensions.TimeProvider.Testing",
            ]
        );
}
