using Overlap.Core.Text;
using Overlap.Embeddings;

namespace Overlap.Cli;

/// <summary>Where the CLI gets its sentence embedder for <c>similar_to</c> checks and text drift.</summary>
internal static class TextEmbedders
{
    /// <summary>
    /// The local all-MiniLM-L6-v2 model that ships inside the tool (Overlap.Embeddings): it loads on first use, in
    /// process, with no download, and lives as long as the command.
    /// </summary>
    public static ITextEmbedder? Create() => new MiniLmEmbedder();
}
