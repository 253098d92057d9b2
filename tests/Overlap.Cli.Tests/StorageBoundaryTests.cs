using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Overlap.Cli;
using Overlap.Server;

namespace Overlap.Cli.Tests;

/// <summary>
/// The server and the CLI reach storage only through its capability interfaces and <c>AddOverlapStorage</c>: their
/// compiled assemblies reference no DuckDB assembly and no type of a storage backend.
/// </summary>
public sealed class StorageBoundaryTests
{
    public static TheoryData<string> Assemblies =>
        [typeof(OverlapServer).Assembly.Location, typeof(OverlapCli).Assembly.Location];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_assembly_references_no_DuckDB_type(string path)
    {
        using var file = File.OpenRead(path);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var assemblies = metadata.AssemblyReferences.Select(h =>
            metadata.GetString(metadata.GetAssemblyReference(h).Name)
        );
        var types = metadata
            .TypeReferences.Select(h => metadata.GetTypeReference(h))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}");
        var named = assemblies
            .Concat(types)
            .Where(n => n.Contains("duckdb", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(named);
        // The check reads real references: the storage interfaces the server takes are among them.
        Assert.Contains("Overlap.Storage.IUserStore", types);
    }
}
