namespace Overlap.Core.Contracts;

/// <summary>
/// One experiment of the contract's <c>experiments:</c> list: a new model version (the treatment) against the one in use
/// (the control) on live traffic, what must improve, what must not get worse, and how long it may run.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>The experiment's name (lowercase letters, digits and dashes), unique in the contract.</summary>
    public required string Name { get; init; }

    /// <summary>The model version in use (<c>model_version</c> of its predictions).</summary>
    public required string Control { get; init; }

    /// <summary>The model version tried.</summary>
    public required string Treatment { get; init; }

    /// <summary>The planned split, control then treatment, as positive weights (50/50 by default).</summary>
    public IReadOnlyList<double> Split { get; init; } = [50, 50];

    /// <summary>What is assigned to an arm: <see cref="PredictionUnit"/> or the name of an attribute (a user or account id).</summary>
    public string Unit { get; init; } = PredictionUnit;

    /// <summary>The salt of the assignment; the name unless set.</summary>
    public required string Salt { get; init; }

    /// <summary>What must improve, each with the smallest improvement worth detecting.</summary>
    public required IReadOnlyList<ExperimentMetric> Primary { get; init; }

    /// <summary>What must not get worse by more than its margin.</summary>
    public IReadOnlyList<ExperimentMetric> Guardrails { get; init; } = [];

    /// <summary>The power the sample size is planned for.</summary>
    public double Power { get; init; } = 0.8;

    /// <summary>The longest the experiment may run before it must decide.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromDays(28);

    /// <summary>
    /// Shadow mode: the treatment is scored on the same traffic but never served, and the two are compared on the same
    /// examples (no split).
    /// </summary>
    public bool Shadow { get; init; }

    /// <summary>
    /// When the team acted on the decision and the experiment ended (its arms no longer served side by side), or null
    /// while it runs. An ended experiment is judged as of this time, once, and no longer watched.
    /// </summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The <see cref="Unit"/> that assigns each prediction on its own.</summary>
    public const string PredictionUnit = "prediction";
}

/// <summary>A metric an experiment watches: a contract metric or a business event.</summary>
public sealed record ExperimentMetric
{
    /// <summary>A metric of the catalog (recall, false_positive_rate, latency_p95_ms, cost_per_1000…), or null for a business event.</summary>
    public string? Metric { get; init; }

    /// <summary>A business event's name (its value per unit is compared), or null for a metric.</summary>
    public string? Business { get; init; }

    /// <summary>Whether a higher value is better (from the catalog for a metric; <c>better:</c> for a business event).</summary>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>For a primary metric: the smallest improvement worth detecting, in the metric's units.</summary>
    public double? MinEffect { get; init; }

    /// <summary>For a guardrail: how much worse it may get, in the metric's units.</summary>
    public double? Margin { get; init; }

    /// <summary>The name shown: the metric's or the business event's.</summary>
    public string Name => Metric ?? Business ?? string.Empty;
}
