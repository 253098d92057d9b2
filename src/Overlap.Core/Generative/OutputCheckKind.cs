namespace Overlap.Core.Generative;

/// <summary>What a deterministic check asserts about an output.</summary>
public enum OutputCheckKind
{
    /// <summary><c>regex</c>: the output matches the pattern (.NET syntax, searched anywhere unless anchored).</summary>
    Regex,

    /// <summary><c>contains</c>: the output contains every listed text (ordinal, case-sensitive).</summary>
    Contains,

    /// <summary><c>not_contains</c>: the output contains none of the listed texts (ordinal, case-sensitive).</summary>
    NotContains,

    /// <summary><c>max_length</c>: the output has at most this many characters (Unicode code points).</summary>
    MaxLength,

    /// <summary><c>min_length</c>: the output has at least this many characters (Unicode code points).</summary>
    MinLength,

    /// <summary><c>json_schema</c>: the output is JSON valid against the schema in a file beside the contract.</summary>
    JsonSchema,

    /// <summary><c>similar_to</c>: the cosine of the output's and a column's sentence embeddings is at least <c>min</c>.</summary>
    SimilarTo,
}
