using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;

namespace Overlap.Core.Monitoring;

/// <summary>
/// A production window of a <c>task: generative</c> feature: its outputs become the cases of an evaluation that Core's
/// generative evaluation judges exactly as <c>overlap eval</c> judges a file (checks on the stored text, people's grades,
/// the model's where it can stand in), with the feedback rates beside the metrics so requirements on them are judged too.
/// </summary>
public static partial class GenerativeWindowMonitor
{
    /// <summary>The feedback kinds a window counts, with the rate each one gives.</summary>
    public static readonly IReadOnlyList<(string Kind, string Rate)> FeedbackRates =
    [
        ("regenerated", "regeneration_rate"),
        ("edited", "edit_rate"),
        ("thumbs_down", "thumbs_down_rate"),
        ("thumbs_up", "thumbs_up_rate"),
        ("copied", "copied_rate"),
    ];

    private const string None = "(none)";

    /// <summary>
    /// The window's generative figures and its evaluation (null when the window has no output).
    /// </summary>
    /// <param name="contract">A generative contract.</param>
    /// <param name="outputs">The window's outputs, oldest first.</param>
    /// <param name="grades">The grades, people's and the model's, of these outputs.</param>
    /// <param name="trust">The model judge's agreement with people per criterion over the last 30 days.</param>
    /// <param name="options">The evaluation's settings; its <see cref="EvaluationOptions.Generative"/> gives the
    /// embedder and schemas (the grades and trusted criteria are set here).</param>
    /// <param name="reviews">The feature's settled review decisions (output id and failure category); those on other
    /// outputs than the window's are left out.</param>
    public static (GenerativeWindow Window, EvaluationReport? Evaluation) Summarize(
        Contract contract,
        IReadOnlyList<GenerativeOutput> outputs,
        IReadOnlyList<RubricGrade> grades,
        IReadOnlyList<JudgeAgreement> trust,
        EvaluationOptions options,
        IReadOnlyList<(string OutputId, string? Category)>? reviews = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(grades);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(options);
        var spec = contract.Generative
            ?? throw new ArgumentException("The contract is not a generative one.", nameof(contract));
        var feedback = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var (kind, rate) in FeedbackRates)
        {
            var m = MetricIntervals.Proportion(
                outputs.Count(o => o.Feedback.Contains(kind)),
                outputs.Count,
                contract.Confidence
            );
            feedback[rate] = new MetricValue(m.Value, m.Interval.Low, m.Interval.High, m.N)
            {
                Reason =
                    outputs.Count == 0 ? $"no {contract.Words.Output} in this window, so no feedback on one" : null,
            };
        }
        var edits = outputs.Where(o => o.EditDistance is not null).Select(o => (double)o.EditDistance!.Value).ToList();
        var trusted = JudgeAgreement.Trusted(trust);
        var (reviewed, categories) = FailureCategories(contract, outputs, reviews ?? []);
        var window = new GenerativeWindow
        {
            Outputs = outputs.Count,
            Conversations = outputs
                .Select(o => o.ConversationId)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Count(),
            ByModelVersion = Split(outputs, o => o.ModelVersion),
            ByModel = Split(outputs, o => o.Model),
            Feedback = feedback,
            MeanEditDistance = edits.Count == 0 ? null : edits.Average(),
            JudgeTrust = trust,
            Reviewed = reviewed,
            FailureCategories = categories,
            Statements = Statements(contract, spec, outputs.Count, trust, trusted),
        };
        if (outputs.Count == 0)
        {
            return (window, null);
        }
        // Production stores tokens, cost and latency with every call, whether or not the contract names data columns
        // for them: the window's cases always carry them, so tokens_per_output, cost_per_1000 and latency are judged.
        var c = contract.Columns;
        contract = contract with
        {
            Columns = c with
            {
                Tokens = c.Tokens ?? "tokens",
                Cost = c.Cost ?? "cost",
                LatencyMs = c.LatencyMs ?? "latency_ms",
            },
        };
        var table = Cases(contract, spec, outputs, grades);
        var generative = (options.Generative ?? new GenerativeOptions()) with
        {
            ModelGrades = [.. grades.Where(g => g.Source == GradeSource.Model)],
            TrustedCriteria = trusted,
        };
        var production = new Dictionary<string, MetricValue>(feedback, StringComparer.Ordinal);
        if (options.ProductionMetrics is { } more)
        {
            foreach (var (name, value) in more)
            {
                production[name] = value;
            }
        }
        var evaluation = Evaluator.Evaluate(
            contract,
            table,
            options with
            {
                Generative = generative,
                ProductionMetrics = production,
            }
        );
        return (
            window with
            {
                AcceptableBy = AcceptableBy(contract, spec, outputs, grades, generative),
                WorstOutputs = Worst(contract, spec, outputs, grades, evaluation),
            },
            evaluation
        );
    }

    private static Dictionary<string, int> Split(
        IEnumerable<GenerativeOutput> outputs,
        Func<GenerativeOutput, string?> key
    ) =>
        outputs
            .GroupBy(o => key(o) ?? None, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// The outputs as the cases table an offline evaluation reads: id, output, the named fields (reference, input,
    /// tags, segments, <c>similar_to</c> columns), tokens, cost, latency, and people's grades as <c>rubric.&lt;name&gt;</c>.
    /// </summary>
    private static Table Cases(
        Contract contract,
        GenerativeSpec spec,
        IReadOnlyList<GenerativeOutput> outputs,
        IReadOnlyList<RubricGrade> grades
    )
    {
        var c = contract.Columns;
        var people = new Dictionary<(string Output, string Criterion), int>();
        foreach (var g in grades)
        {
            if (g is { Source: GradeSource.Person, Grade: { } grade })
            {
                people.TryAdd((g.OutputId, g.Criterion), grade);
            }
        }
        var builder = new TableBuilder(Evaluator.ReadOptions(contract, $"{contract.Feature} production"));
        var values = new object?[builder.Columns.Count];
        foreach (var o in outputs)
        {
            for (var k = 0; k < values.Length; k++)
            {
                var name = builder.Columns[k];
                var criterion = spec.Rubric.FirstOrDefault(r => GenerativeCases.GradeColumn(r.Name) == name);
                values[k] =
                    name == c.Id ? o.Id
                    : name == c.Output ? o.Output
                    : name == c.Tokens ? o.Tokens
                    : name == c.Cost ? o.Cost
                    : name == c.LatencyMs ? o.LatencyMs
                    : criterion is not null
                        ? people.TryGetValue((o.Id, criterion.Name), out var g) ? GradeText(criterion, g)
                            : null
                    : o.Fields.GetValueOrDefault(name);
            }
            builder.AddRow(values);
        }
        return builder.Build();
    }

    private static string GradeText(RubricCriterion criterion, int grade) =>
        criterion.Scale == RubricScale.PassFail
            ? grade == 1
                ? "pass"
                : "fail"
            : grade.ToString(CultureInfo.InvariantCulture);

    private static List<string> Statements(
        Contract contract,
        GenerativeSpec spec,
        int outputs,
        IReadOnlyList<JudgeAgreement> trust,
        IReadOnlySet<string> trusted
    )
    {
        var w = contract.Words;
        var list = new List<string>
        {
            outputs == 0
                ? $"No {w.Output} was produced in this window, so there is nothing to judge yet."
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{outputs:#,0} {(outputs == 1 ? w.Output : Phrasing.Plural(w.Output))} in this window."
                ),
        };
        foreach (var criterion in spec.Rubric)
        {
            var agreement = trust.FirstOrDefault(a => a.Criterion == criterion.Name);
            list.Add(
                trusted.Contains(criterion.Name)
                    ? $"{criterion.Name}: the model judge's grades count beside people's ({agreement!.Statement})"
                : agreement is null
                    ? $"{criterion.Name}: only people's grades count (the contract names no model judge)."
                : $"{criterion.Name}: only people's grades count ({agreement.Statement})"
            );
        }
        return list;
    }
}
