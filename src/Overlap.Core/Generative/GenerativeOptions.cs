using Overlap.Core.Text;

namespace Overlap.Core.Generative;

/// <summary>
/// What a generative evaluation needs beyond the contract and the cases, handed in by the caller because Core opens no
/// file and calls no model: the JSON schemas' texts, the sentence embedder, and model-judge grades with the criteria on
/// which they count.
/// </summary>
public sealed record GenerativeOptions
{
    /// <summary>Each <c>json_schema</c> check's schema text, by the path the contract writes.</summary>
    public IReadOnlyDictionary<string, string> Schemas { get; init; } = new Dictionary<string, string>();

    /// <summary>The sentence embedder <c>similar_to</c> checks use; null when none is available.</summary>
    public ITextEmbedder? Embedder { get; init; }

    /// <summary>Grades from a model judge (by output id); people's grades come from the data's <c>rubric.&lt;name&gt;</c> columns.</summary>
    public IReadOnlyList<RubricGrade> ModelGrades { get; init; } = [];

    /// <summary>
    /// The criteria on which the model judge's grades count (where its agreement with people clears
    /// <c>judges.min_agreement</c>); a person's grade of the same output always wins over the model's.
    /// </summary>
    public IReadOnlySet<string> TrustedCriteria { get; init; } = new HashSet<string>();

    /// <summary>
    /// In a matrix of output columns, the output column whose people's grades are read from
    /// <c>rubric.&lt;name&gt;.&lt;column&gt;</c>; null reads <c>rubric.&lt;name&gt;</c> (the contract's own output).
    /// </summary>
    public string? GradeSuffix { get; init; }

    /// <summary>How many of the worst outputs the report lists.</summary>
    public int WorstCount { get; init; } = 10;
}
