using Overlap.Tests.Shared;

namespace Overlap.Embeddings.Tests;

/// <summary>The committed fixtures beside the tests (read from the repository, so a recording run can rewrite them).</summary>
internal static class Fixtures
{
    public static string Path(string name) => RepositoryRoot.File("tests/Overlap.Embeddings.Tests/Fixtures/" + name);

    public static string[] Lines(string name) =>
        [.. File.ReadAllLines(Path(name)).Where(l => !string.IsNullOrWhiteSpace(l))];

    /// <summary>One embedder for the whole test run: loading the model takes a second or two.</summary>
    public static MiniLmEmbedder Embedder { get; } = new();

    public static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));
}
