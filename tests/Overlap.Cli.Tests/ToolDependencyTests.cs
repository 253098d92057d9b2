namespace Overlap.Cli.Tests;

/// <summary>
/// The overlap tool carries the product alone: the spam-filter demo is a sample of its own (samples/SpamDemo), so the
/// tool's restore graph holds no demo code, no ML.NET, no MimeKit and no testing clock. It does hold ONNX Runtime
/// (Microsoft.ML.OnnxRuntime, a separate package from ML.NET's Microsoft.ML): Overlap.Embeddings runs the sentence
/// embedding model on it for <c>similar_to</c> checks and text drift. The model's packages are referenced by file
/// (src/Overlap.Embeddings), because their package declares ML.NET as a dependency it never uses.
/// </summary>
public sealed class ToolDependencyTests
{
    [Fact]
    public void TheToolRestoresWithoutTheDemoOrItsPackages() =>
        RestoreGraph.AssertHolds(
            "src/Overlap.Cli",
            present: ["Overlap.Server", "DuckDB.NET.Data.Full", "Overlap.Embeddings", "Microsoft.ML.OnnxRuntime"],
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
