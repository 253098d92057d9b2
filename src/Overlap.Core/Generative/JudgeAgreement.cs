using Overlap.Core.Evaluation;
using Overlap.Core.Statistics;

namespace Overlap.Core.Generative;

/// <summary>
/// How far a model judge agrees with people on one rubric criterion, over the outputs both graded, and whether its
/// grades can therefore stand in for people's. Agreement is on pass/fail (a 1–5 grade passes at
/// <see cref="RubricCriterion.PassAt"/>): the share graded alike with its Wilson interval, Cohen's kappa as
/// <c>sklearn.metrics.cohen_kappa_score</c> with the asymptotic interval of
/// <c>statsmodels.stats.inter_rater.cohens_kappa</c> (kappa ± z·std_kappa), and the judge's leniency (its pass rate
/// minus people's on the same outputs) with Newcombe's hybrid score interval for a paired difference (method 10 of
/// Newcombe 1998). On a 1–5 criterion also the exact-grade agreement and the quadratic-weighted kappa
/// (<c>cohen_kappa_score(weights="quadratic", labels=[1, 2, 3, 4, 5])</c>). A figure that cannot be computed is NaN
/// (with no output, every figure; kappa when both sides gave every output the same pass/fail) and is said in words in
/// <see cref="Statement"/>, never shown as a number.
/// </summary>
public sealed partial record JudgeAgreement
{
    /// <summary>The criterion's name.</summary>
    public required string Criterion { get; init; }

    /// <summary>The criterion's scale.</summary>
    public RubricScale Scale { get; init; }

    /// <summary>Outputs graded by both people and the model judge (each with a verdict).</summary>
    public long Outputs { get; init; }

    /// <summary>Of those, the outputs both passed or both failed.</summary>
    public long Agreeing { get; init; }

    /// <summary><see cref="Agreeing"/> / <see cref="Outputs"/>; NaN with no output.</summary>
    public double Share { get; init; } = double.NaN;

    /// <summary>The Wilson interval of <see cref="Share"/> at <see cref="Confidence"/>.</summary>
    public Interval ShareInterval { get; init; } = Interval.Unknown;

    /// <summary>Cohen's kappa on pass/fail; NaN with no output or when both sides gave every output the same verdict.</summary>
    public double Kappa { get; init; } = double.NaN;

    /// <summary>Kappa's asymptotic interval at <see cref="Confidence"/> (not clipped to [-1, 1], as statsmodels).</summary>
    public Interval KappaInterval { get; init; } = Interval.Unknown;

    /// <summary>On a 1–5 criterion, the share of outputs given exactly the same grade; NaN otherwise.</summary>
    public double ExactShare { get; init; } = double.NaN;

    /// <summary>On a 1–5 criterion, Cohen's kappa with quadratic weights over grades 1 to 5; NaN otherwise or when undefined.</summary>
    public double WeightedKappa { get; init; } = double.NaN;

    /// <summary>The share of these outputs the model judge passed.</summary>
    public double ModelPassRate { get; init; } = double.NaN;

    /// <summary>The share of these outputs people passed.</summary>
    public double PeoplePassRate { get; init; } = double.NaN;

    /// <summary>The judge's leniency: <see cref="ModelPassRate"/> − <see cref="PeoplePassRate"/>.</summary>
    public double Leniency { get; init; } = double.NaN;

    /// <summary>Newcombe's hybrid score interval of <see cref="Leniency"/> for paired proportions.</summary>
    public Interval LeniencyInterval { get; init; } = Interval.Unknown;

    /// <summary>The contract's <c>judges.min_agreement</c> this was judged against.</summary>
    public double MinAgreement { get; init; }

    /// <summary>The two-sided confidence of every interval here.</summary>
    public double Confidence { get; init; }

    /// <summary>Whether the model judge can stand in for people on this criterion.</summary>
    public JudgeAgreementVerdict Verdict { get; init; }

    /// <summary>
    /// When <see cref="Verdict"/> is <see cref="JudgeAgreementVerdict.NotEnoughData"/>: about how many more outputs
    /// graded by both would settle it if the agreement held; null otherwise or when no amount would.
    /// </summary>
    public long? MoreNeeded { get; init; }

    /// <summary>The verdict in words, with the figures behind it.</summary>
    public required string Statement { get; init; }

    /// <summary>True when the model judge's grades count toward this criterion's verdicts.</summary>
    public bool CanStandIn => Verdict == JudgeAgreementVerdict.CanStandIn;

    /// <summary>
    /// The agreement on one criterion over (people's grade, model's grade) pairs of the same outputs, both on the
    /// criterion's scale (0/1 for pass/fail, 1–5 for 1–5).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A grade is off the criterion's scale, or a setting is out of range.</exception>
    public static JudgeAgreement Of(
        RubricCriterion criterion,
        IReadOnlyCollection<(int People, int Model)> pairs,
        double minAgreement,
        double confidence
    )
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(pairs);
        if (!(minAgreement is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(minAgreement),
                minAgreement,
                "min_agreement must be in [0, 1]."
            );
        }
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be in (0, 1).");
        }
        foreach (var (people, model) in pairs)
        {
            CheckGrade(criterion, people);
            CheckGrade(criterion, model);
        }
        var empty = new JudgeAgreement
        {
            Criterion = criterion.Name,
            Scale = criterion.Scale,
            MinAgreement = minAgreement,
            Confidence = confidence,
            Verdict = JudgeAgreementVerdict.NotEnoughData,
            Statement = "",
        };
        if (pairs.Count == 0)
        {
            return empty with { Statement = Describe(empty) };
        }
        var result = Measure(criterion, pairs, empty);
        var (low, high) = (result.ShareInterval.Low, result.ShareInterval.High);
        var verdict =
            low >= minAgreement ? JudgeAgreementVerdict.CanStandIn
            : high < minAgreement ? JudgeAgreementVerdict.CannotStandIn
            : JudgeAgreementVerdict.NotEnoughData;
        result = result with
        {
            Verdict = verdict,
            MoreNeeded =
                verdict == JudgeAgreementVerdict.NotEnoughData
                    ? Judge.MoreNeeded(result.Share, low, high, result.Outputs, minAgreement)
                    : null,
        };
        return result with { Statement = Describe(result) };
    }

    /// <summary>
    /// The agreement on each criterion from grades of both sources: an output counts for a criterion when it has a
    /// person's grade and a model's grade there, both with a verdict (the first of each source, in the order given).
    /// </summary>
    public static IReadOnlyList<JudgeAgreement> Of(
        IReadOnlyList<RubricCriterion> criteria,
        IEnumerable<RubricGrade> grades,
        double minAgreement,
        double confidence
    )
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(grades);
        var people = new Dictionary<(string, string), int>();
        var model = new Dictionary<(string, string), int>();
        var order = new List<(string Criterion, string Output)>();
        foreach (var grade in grades)
        {
            if (grade.Grade is not { } g)
            {
                continue;
            }
            var key = (grade.Criterion, grade.OutputId);
            var (side, other) = grade.Source == GradeSource.Person ? (people, model) : (model, people);
            if (side.TryAdd(key, g) && other.ContainsKey(key))
            {
                order.Add(key);
            }
        }
        return criteria
            .Select(c =>
                Of(
                    c,
                    order.Where(k => k.Criterion == c.Name).Select(k => (people[k], model[k])).ToList(),
                    minAgreement,
                    confidence
                )
            )
            .ToList();
    }

    /// <summary>The names of the criteria on which the model judge can stand in for people: its grades count there.</summary>
    public static IReadOnlySet<string> Trusted(IEnumerable<JudgeAgreement> agreements)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        return agreements.Where(a => a.CanStandIn).Select(a => a.Criterion).ToHashSet(StringComparer.Ordinal);
    }

    private static void CheckGrade(RubricCriterion criterion, int grade)
    {
        var (low, high) = criterion.Scale == RubricScale.PassFail ? (0, 1) : (1, 5);
        if (grade < low || grade > high)
        {
            throw new ArgumentOutOfRangeException(
                nameof(grade),
                grade,
                $"A grade on {criterion.Name} must be {low} to {high}; {grade} is off its scale."
            );
        }
    }
}
