namespace Overlap.Embeddings;

/// <summary>Placeholder so the project builds before its first type lands; remove when the embedder is written.</summary>
internal static class EmbeddingInfo
{
    /// <summary>The model every embedding comes from.</summary>
    internal const string ModelName = "all-MiniLM-L6-v2";
}
