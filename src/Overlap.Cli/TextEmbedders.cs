using Overlap.Core.Text;

namespace Overlap.Cli;

/// <summary>Where the CLI gets its sentence embedder for <c>similar_to</c> checks.</summary>
internal static class TextEmbedders
{
    /// <summary>
    /// The embedder <c>overlap eval</c> uses; null while no embedding model is wired in (a similar_to check then stops
    /// the evaluation with a message saying so). Point this at the MiniLM embedder of Overlap.Embeddings.
    /// </summary>
    public static ITextEmbedder? Create() => null;
}
