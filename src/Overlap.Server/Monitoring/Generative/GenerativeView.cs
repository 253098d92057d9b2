using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Monitoring.Generative;

/// <summary>
/// What a generative feature's page shows of its last 30 days, built from the windows <c>/metrics</c> serves: the
/// acceptable rate by people and by the model judge, each check and criterion, the judge's agreement with people,
/// failure categories from reviews, the worst recent outputs, and usage, feedback, tokens, cost and latency. Every
/// figure is text ready to show (never NaN), and a window with fewer outputs than the contract's <c>min_samples</c>
/// says so.
/// </summary>
public sealed partial class GenerativeView
{
    /// <summary>How many of the worst recent outputs the page lists.</summary>
    public const int WorstShown = 5;

    private GenerativeView(Contract contract, GenerativeSpec spec, MonitoringReport report)
    {
        Contract = contract;
        Spec = spec;
        MinSamples = contract.Monitoring?.MinSamples ?? new MonitoringPolicy().MinSamples;
        Latest = report.Windows.LastOrDefault(w => w.Evaluation is not null);
        Acceptable =
        [
            .. report.Windows.Select(w =>
            {
                var people = w.Generative?.AcceptableBy.GetValueOrDefault(People);
                var model = w.Generative?.AcceptableBy.GetValueOrDefault(Model);
                return new MetricPoint(
                    w.Start,
                    FeatureCharts.Finite(people?.Value),
                    FeatureCharts.Finite(people?.CiLow),
                    FeatureCharts.Finite(people?.CiHigh),
                    FeatureCharts.Finite(model?.Value),
                    FeatureCharts.Finite(model?.CiLow),
                    FeatureCharts.Finite(model?.CiHigh)
                );
            }),
        ];
        AcceptableBar = contract
            .Requirements.FirstOrDefault(r => r.Metric == "acceptable_rate" && r.By is null && r.Bound == Bound.Min)
            ?.Value;
        Figures = BuildFigures(report);
        Trust = BuildTrust(report);
        (CategoryWindows, CategoryTotals, Reviewed) = BuildCategories(report);
        Worst =
        [
            .. report
                .Windows.Reverse()
                .SelectMany(w => (w.Generative?.WorstOutputs ?? []).Select(o => new RecentWorst(w.Start, o)))
                .Take(WorstShown),
        ];
        Usage = BuildUsage(report);
        EmptyWindows = report.Windows.Count(w => (w.Generative?.Outputs ?? 0) == 0);
    }

    /// <summary>The key of people's acceptable rate in <see cref="GenerativeWindow.AcceptableBy"/>.</summary>
    public const string People = "people";

    /// <summary>The key of the model judge's acceptable rate in <see cref="GenerativeWindow.AcceptableBy"/>.</summary>
    public const string Model = "model";

    /// <summary>The page of a generative contract; null for any other task.</summary>
    public static GenerativeView? Of(Contract contract, MonitoringReport report)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(report);
        return contract is { Task: TaskKind.Generative, Generative: { } spec }
            ? new GenerativeView(contract, spec, report)
            : null;
    }

    /// <summary>The latest contract.</summary>
    public Contract Contract { get; }

    /// <summary>Its checks, rubric and judges.</summary>
    public GenerativeSpec Spec { get; }

    /// <summary>The outputs a window needs before its figures are more than a first look: min_samples.</summary>
    public int MinSamples { get; }

    /// <summary>The newest window with an output (and so an evaluation); null when there is none.</summary>
    public WindowReport? Latest { get; }

    /// <summary>The acceptable rate per window, oldest first: people's first, the model judge's second.</summary>
    public MetricPoint[] Acceptable { get; }

    /// <summary>The contract's bar on <c>acceptable_rate</c>, when it sets a minimum.</summary>
    public double? AcceptableBar { get; }

    /// <summary>Each check, then each criterion, in contract order.</summary>
    public IReadOnlyList<GenerativeFigure> Figures { get; }

    /// <summary>The model judge against people, per criterion; empty without a rubric.</summary>
    public IReadOnlyList<JudgeTrustRow> Trust { get; }

    /// <summary>The windows with outputs, newest first, with their failure categories.</summary>
    public IReadOnlyList<CategoryWindow> CategoryWindows { get; }

    /// <summary>Each failure category over the 30 days, its share of every reviewed output.</summary>
    public IReadOnlyList<FailureCategoryCount> CategoryTotals { get; }

    /// <summary>Outputs of the 30 days with a settled review decision.</summary>
    public long Reviewed { get; }

    /// <summary>The worst outputs of the newest windows first, at most <see cref="WorstShown"/>.</summary>
    public IReadOnlyList<RecentWorst> Worst { get; }

    /// <summary>The windows with outputs, newest first, with usage, feedback, tokens, cost and latency.</summary>
    public IReadOnlyList<UsageWindow> Usage { get; }

    /// <summary>Windows of the 30 days without any output.</summary>
    public int EmptyWindows { get; }

    /// <summary>The latest window's verdict on the contract, in words.</summary>
    public string Verdict =>
        Latest?.Evaluation?.Verdict switch
        {
            Core.Evaluation.Verdict.Pass =>
                $"meets its contract in the latest window ({FeatureCharts.When(Latest.Start)})",
            Core.Evaluation.Verdict.Fail =>
                $"misses its contract in the latest window ({FeatureCharts.When(Latest.Start)})",
            Core.Evaluation.Verdict.Inconclusive =>
                $"not settled yet in the latest window ({FeatureCharts.When(Latest.Start)})",
            _ => $"no {Contract.Words.Output} in the last 30 days",
        };

    /// <summary>The latest window's requirements, each judged on its own interval.</summary>
    public IReadOnlyList<RequirementResult> Requirements =>
        [.. (Latest?.Evaluation?.Requirements ?? []).Where(r => r.Verdict != Core.Evaluation.Verdict.Skipped)];

    /// <summary>
    /// The acceptable rate by people and by the model judge in the latest window that has either, and the contract's
    /// verdict on it there.
    /// </summary>
    public string AcceptableStatement
    {
        get
        {
            var words = Contract.Words;
            var graded = Latest?.Generative?.AcceptableBy;
            if (Latest is null || graded is null || graded.Count == 0)
            {
                return Spec.Rubric.Count == 0
                    ? $"The contract has no rubric, so an {words.Output} is acceptable when it passes its checks."
                    : $"No {words.Output} of the last 30 days has been graded yet.";
            }
            var when = FeatureCharts.When(Latest.Start);
            var parts = new List<string>
            {
                $"In the latest window ({when}), {Side("people", graded.GetValueOrDefault(People))}; "
                    + $"{Side("the model judge", graded.GetValueOrDefault(Model))}.",
            };
            var requirement = Requirements.FirstOrDefault(r => r.Metric == "acceptable_rate" && r.By is null);
            // The requirement's statement says the verdict, the bar and the figure (or why there is none) on its own.
            parts.Add(requirement?.Statement ?? "The contract sets no bar on the acceptable rate.");
            return string.Join(" ", parts);

            string Side(string who, MetricValue? m) =>
                m is { N: > 0 } && double.IsFinite(m.Value)
                    ? $"{who} found {GenerativeText.Share(m)} of the {GenerativeText.Outputs(Contract, m.N)} "
                        + "they graded on every criterion acceptable"
                        + (m.N < MinSamples ? $" ({GenerativeText.NotEnough(m.N, MinSamples)})" : "")
                    : $"{who}: {m?.Reason ?? $"no {words.Output} graded on every criterion"}";
        }
    }

    private static string When(DateTimeOffset start) => FeatureCharts.When(start);

    private static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
