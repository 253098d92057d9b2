namespace Overlap.Core.Text;

/// <summary>
/// Turns texts into sentence embeddings (vectors whose cosine says how close two texts are in meaning). Core only
/// calls it; the implementation that runs a model lives outside Core (<c>Overlap.Embeddings</c>).
/// </summary>
public interface ITextEmbedder
{
    /// <summary>The length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>A name that identifies the model, for reports and caches.</summary>
    string ModelName { get; }

    /// <summary>One vector per text, in order.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
