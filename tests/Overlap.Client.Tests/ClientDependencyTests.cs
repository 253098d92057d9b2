using System.Text.Json;
using Overlap.Tests.Shared;

namespace Overlap.Client.Tests;

/// <summary>
/// An application that only sends events restores the SDK without Overlap's evaluation engine: the SDK's restore graph
/// (its <c>obj/project.assets.json</c>, written by the build) holds the event records' assembly and no YAML, Parquet or
/// Math.NET package, nor Overlap.Core.
/// </summary>
public sealed class ClientDependencyTests
{
    private static readonly string[] Forbidden = ["Overlap.Core", "YamlDotNet", "Parquet.Net", "MathNet.Numerics"];

    [Fact]
    public void TheSdkRestoresWithoutCoreYamlParquetOrMathNet()
    {
        var libraries = RestoredLibraries();

        Assert.Contains("Overlap.Events", libraries);
        Assert.Contains("Microsoft.Extensions.Options", libraries);
        foreach (var name in Forbidden)
        {
            Assert.DoesNotContain(name, libraries);
        }
    }

    /// <summary>The names of every package and project in the SDK's restore graph, direct or transitive.</summary>
    private static HashSet<string> RestoredLibraries()
    {
        var assets = RepositoryRoot.File("src/Overlap.Client/obj/project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(assets));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject())
        {
            names.Add(library.Name[..library.Name.IndexOf('/', StringComparison.Ordinal)]);
        }
        return names;
    }
}
