using System.Text.Json;

namespace Overlap.Tests.Shared;

/// <summary>What a project of the repository restores: the libraries of its <c>obj/project.assets.json</c>, written by the build.</summary>
internal static class RestoreGraph
{
    /// <summary>The names of every package and project in the restore graph of <paramref name="project"/> (its folder from the root, such as <c>src/Overlap.Client</c>), direct or transitive.</summary>
    public static HashSet<string> Libraries(string project)
    {
        using var document = JsonDocument.Parse(
            File.ReadAllBytes(RepositoryRoot.File(project + "/obj/project.assets.json"))
        );
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject())
        {
            names.Add(library.Name[..library.Name.IndexOf('/', StringComparison.Ordinal)]);
        }
        return names;
    }

    /// <summary>Asserts that <paramref name="project"/> restores each of <paramref name="present"/> and none of <paramref name="absent"/>.</summary>
    public static void AssertHolds(string project, string[] present, string[] absent)
    {
        var libraries = Libraries(project);
        foreach (var name in present)
        {
            Xunit.Assert.Contains(name, libraries);
        }
        foreach (var name in absent)
        {
            Xunit.Assert.DoesNotContain(name, libraries);
        }
    }
}
