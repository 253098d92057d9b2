using Overlap.Tests.Shared;

namespace Overlap.Client.Tests;

/// <summary>
/// An application that only sends events restores the SDK without Overlap's evaluation engine: the SDK's restore graph
/// holds the event records' assembly and no YAML, Parquet or Math.NET package, nor Overlap.Core.
/// </summary>
public sealed class ClientDependencyTests
{
    [Fact]
    public void TheSdkRestoresWithoutCoreYamlParquetOrMathNet() =>
        RestoreGraph.AssertHolds(
            "src/Overlap.Client",
            present: ["Overlap.Events", "Microsoft.Extensions.Options"],
            absent: ["Overlap.Core", "YamlDotNet", "Parquet.Net", "MathNet.Numerics"]
        );
}
