namespace Overlap.Demo.Tests;

/// <summary>Paths of the files copied beside the test assembly.</summary>
internal static class Fixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
}
