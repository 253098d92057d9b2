namespace Overlap.Tests.Shared;

/// <summary>The repository a test runs in: the folder above the test's output that holds <c>Overlap.slnx</c>.</summary>
internal static class RepositoryRoot
{
    /// <summary>The repository's root folder.</summary>
    public static string Path { get; } = Find();

    /// <summary>A file of the repository, by its path from the root with '/' separators.</summary>
    public static string File(string relative) =>
        System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Overlap.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Overlap.slnx not found above the test folder");
    }
}
