using System.Text.Json.Serialization;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Usage;

/// <summary>How long one period of a usage report is.</summary>
public enum UsagePeriod
{
    /// <summary>A UTC day.</summary>
    [JsonStringEnumMemberName("day")]
    Day,

    /// <summary>A UTC week starting on Monday.</summary>
    [JsonStringEnumMemberName("week")]
    Week,
}

/// <summary>A share with its Wilson interval; null figures when nothing was counted.</summary>
/// <param name="Count">How many have it.</param>
/// <param name="Of">Out of how many.</param>
/// <param name="Value">The share, or null when <paramref name="Of"/> is 0.</param>
/// <param name="Low">The interval's lower end.</param>
/// <param name="High">The interval's upper end.</param>
public sealed record ShareFigure(long Count, long Of, double? Value, double? Low, double? High);

/// <summary>A mean with its t interval; the interval is null below two values or when they are all equal.</summary>
public sealed record MeanFigure(long N, double? Value, double? Low, double? High);

/// <summary>A business event among predictions: the share followed by one, the value per prediction, the total.</summary>
/// <param name="Conversion">The share of predictions followed by at least one such event.</param>
/// <param name="Value">Its values summed per prediction (0 for none), averaged over the predictions.</param>
/// <param name="Total">The sum of its values.</param>
public sealed record BusinessFigure(ShareFigure Conversion, MeanFigure Value, double Total);

/// <summary>What the model's errors among the labelled predictions of a period cost by the contract's costs (binary).</summary>
public sealed record ErrorCost(
    long Flagged,
    long Labelled,
    long FalsePositives,
    long FalseNegatives,
    double Cost,
    string Currency,
    string Statement
);

/// <summary>One period's usage and what followed it.</summary>
public sealed record UsagePeriodFigures
{
    /// <summary>The period's start.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Predictions in it.</summary>
    public required long Predictions { get; init; }

    /// <summary>Distinct users among them; null without a user attribute.</summary>
    public long? Users { get; init; }

    /// <summary>Users whose first prediction in the report's range falls in this period; null without a user attribute.</summary>
    public long? NewUsers { get; init; }

    /// <summary>Predictions by the model's decision (classifiers).</summary>
    public required IReadOnlyDictionary<string, long> Decisions { get; init; }

    /// <summary>By feedback kind: the share of the period's predictions given it.</summary>
    public required IReadOnlyDictionary<string, ShareFigure> Feedback { get; init; }

    /// <summary>By business event name: what followed the period's predictions.</summary>
    public required IReadOnlyDictionary<string, BusinessFigure> Business { get; init; }

    /// <summary>By the model's decision, then business event name.</summary>
    public required IReadOnlyDictionary<
        string,
        IReadOnlyDictionary<string, BusinessFigure>
    > BusinessByDecision { get; init; }

    /// <summary>What the labelled errors cost (binary contracts), else null.</summary>
    public ErrorCost? Errors { get; init; }
}

/// <summary>The users whose first use fell in one week, and the share of them back in each later week that has ended.</summary>
public sealed record UserCohort(DateTimeOffset Week, long Size, IReadOnlyList<ShareFigure> Retained);

/// <summary>The feature's users over the range: activation, weekly cohorts and week-1 retention.</summary>
public sealed record UserFigures
{
    /// <summary>The attribute that names a user.</summary>
    public required string Attribute { get; init; }

    /// <summary>Distinct users in the range.</summary>
    public required long Users { get; init; }

    /// <summary>The activation period in days.</summary>
    public required int ActivationDays { get; init; }

    /// <summary>New users seen long enough, and the share of them activated.</summary>
    public required ShareFigure Activation { get; init; }

    /// <summary>Activation in words.</summary>
    public required string ActivationStatement { get; init; }

    /// <summary>Weekly cohorts by first use, oldest first.</summary>
    public required IReadOnlyList<UserCohort> Cohorts { get; init; }

    /// <summary>Week-1 retention pooled over the cohorts whose following week has ended.</summary>
    public required ShareFigure Retention { get; init; }

    /// <summary>Retention in words.</summary>
    public required string RetentionStatement { get; init; }
}

/// <summary>A feature's users and business impact over a range: per period, by model version, and its users.</summary>
public sealed record UsageReport
{
    /// <summary>The feature.</summary>
    public required string Feature { get; init; }

    /// <summary>The range's start (a period boundary).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The range's end (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The moment the figures hold at.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>How long each period is.</summary>
    public required UsagePeriod Period { get; init; }

    /// <summary>The two-sided confidence of every interval.</summary>
    public required double Confidence { get; init; }

    /// <summary>Predictions in the range.</summary>
    public required long Predictions { get; init; }

    /// <summary>Each period, oldest first.</summary>
    public required IReadOnlyList<UsagePeriodFigures> Periods { get; init; }

    /// <summary>Every feedback kind given in the range.</summary>
    public required IReadOnlyList<string> FeedbackKinds { get; init; }

    /// <summary>Every business event name sent with a prediction in the range.</summary>
    public required IReadOnlyList<string> BusinessNames { get; init; }

    /// <summary>Over the range, by business event name: what followed the predictions.</summary>
    public required IReadOnlyDictionary<string, BusinessFigure> Business { get; init; }

    /// <summary>Over the range, by the model's decision, then business event name.</summary>
    public required IReadOnlyDictionary<
        string,
        IReadOnlyDictionary<string, BusinessFigure>
    > BusinessByDecision { get; init; }

    /// <summary>What the labelled errors of the whole range cost (binary contracts), else null.</summary>
    public ErrorCost? Errors { get; init; }

    /// <summary>Over the range, by model version (an experiment's arms), then business event name.</summary>
    public required IReadOnlyDictionary<
        string,
        IReadOnlyDictionary<string, BusinessFigure>
    > BusinessByVersion { get; init; }

    /// <summary>The users, when the contract names a user attribute.</summary>
    public UserFigures? Users { get; init; }

    /// <summary>The contract's requirements on user metrics, judged.</summary>
    public required IReadOnlyList<RequirementResult> Requirements { get; init; }

    /// <summary>The range in words.</summary>
    public required IReadOnlyList<string> Statements { get; init; }
}
