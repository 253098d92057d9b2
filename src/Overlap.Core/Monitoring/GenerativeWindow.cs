using Overlap.Core.Evaluation;
using Overlap.Core.Generative;

namespace Overlap.Core.Monitoring;

/// <summary>
/// What one production window of a <c>task: generative</c> feature shows beyond the evaluation: how much it was used,
/// the feedback per output with Wilson intervals, and whose grades count on each rubric criterion.
/// </summary>
public sealed record GenerativeWindow
{
    /// <summary>How many outputs the window holds.</summary>
    public required int Outputs { get; init; }

    /// <summary>How many distinct conversations they belong to (outputs without one are not counted).</summary>
    public required int Conversations { get; init; }

    /// <summary>Outputs per model version ("(none)" for calls that sent none).</summary>
    public required IReadOnlyDictionary<string, int> ByModelVersion { get; init; }

    /// <summary>Outputs per model that answered ("(none)" for calls that sent none).</summary>
    public required IReadOnlyDictionary<string, int> ByModel { get; init; }

    /// <summary>
    /// Feedback per output, each the share of the window's outputs with its Wilson interval: <c>regeneration_rate</c>,
    /// <c>edit_rate</c>, <c>thumbs_down_rate</c>, <c>thumbs_up_rate</c>, <c>copied_rate</c>.
    /// </summary>
    public required IReadOnlyDictionary<string, MetricValue> Feedback { get; init; }

    /// <summary>The mean edit distance of the edited outputs that sent one; null when none did.</summary>
    public double? MeanEditDistance { get; init; }

    /// <summary>
    /// The model judge's agreement with people per criterion over the 30 days before the window is computed; the model's
    /// grades count on the criteria that can stand in. Empty when the contract has no rubric.
    /// </summary>
    public IReadOnlyList<JudgeAgreement> JudgeTrust { get; init; } = [];

    /// <summary>
    /// <c>acceptable_rate</c> by whose grades decide the criteria, each with its Wilson interval: <c>people</c> over
    /// the outputs people graded on every criterion, <c>model</c> over those the model judge graded on every criterion
    /// (whether or not its grades count), checks alike. Empty when the contract has no rubric.
    /// </summary>
    public IReadOnlyDictionary<string, MetricValue> AcceptableBy { get; init; } = new Dictionary<string, MetricValue>();

    /// <summary>Outputs of the window with a settled review decision.</summary>
    public int Reviewed { get; init; }

    /// <summary>
    /// How many rubric grades, people's and the model judge's, the window was judged with: a stored window whose
    /// outputs have since been graded more (or less) is judged again.
    /// </summary>
    public int Grades { get; init; }

    /// <summary>Each of the contract's <c>review.failure_categories</c>, in order, over the reviewed ones.</summary>
    public IReadOnlyList<FailureCategoryCount> FailureCategories { get; init; } = [];

    /// <summary>The window's worst outputs (most failures first, at most five) with their input and grades.</summary>
    public IReadOnlyList<WorstOutput> WorstOutputs { get; init; } = [];

    /// <summary>What a person reads first: usage, and which criteria count the model's grades and why (or why not).</summary>
    public required IReadOnlyList<string> Statements { get; init; }
}
