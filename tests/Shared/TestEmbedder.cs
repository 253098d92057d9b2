using Overlap.Core.Text;

namespace Overlap.Tests.Shared;

/// <summary>
/// A small deterministic embedder for tests: a text's vector counts its lowercase letters a–z, so texts made of the
/// same letters point the same way and the cosine of two texts can be worked out by hand. It records every batch.
/// </summary>
public sealed class TestEmbedder : ITextEmbedder
{
    public List<int> Batches { get; } = [];

    public int Dimensions => 26;

    public string ModelName => "letter-counts";

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        Batches.Add(texts.Count);
        return [.. texts.Select(Vector)];
    }

    public static float[] Vector(string text)
    {
        var v = new float[26];
        foreach (var ch in text.ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z')
            {
                v[ch - 'a']++;
            }
        }
        return v;
    }
}
