namespace Overlap.Judges;

/// <summary>Placeholder so the project builds before its first type lands; remove when the judge is written.</summary>
internal static class JudgeInfo
{
    /// <summary>The judge prompt's format version, part of every cache key.</summary>
    internal const int PromptVersion = 1;
}
