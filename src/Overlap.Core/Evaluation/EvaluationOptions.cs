using Overlap.Core.Data;
using Overlap.Core.Generative;
using Overlap.Core.Statistics;

namespace Overlap.Core.Evaluation;

/// <summary>How an evaluation run is carried out, beyond what the contract says.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The default bootstrap seed.</summary>
    public const ulong DefaultSeed = Bootstrap.DefaultSeed;

    /// <summary>The default bootstrap resamples.</summary>
    public const int DefaultResamples = Bootstrap.DefaultResamples;

    /// <summary>Bootstrap resamples for the metrics that are not proportions. Default 1,000.</summary>
    public int Resamples { get; init; } = DefaultResamples;

    /// <summary>Bootstrap seed: the same seed on the same data repeats a run exactly.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>The same examples scored by the model in use today, to compare against; null for none.</summary>
    public Table? Baseline { get; init; }

    /// <summary>
    /// Metrics measured outside the labelled rows (production latency percentiles over every prediction), with their
    /// intervals; requirements on them are judged like any other. Null offline, where they are skipped.
    /// </summary>
    public IReadOnlyDictionary<string, MetricValue>? ProductionMetrics { get; init; }

    /// <summary>
    /// Metrics measured outside the labelled rows per segment value (the workflow rates of each value's guarded calls),
    /// by segment column then value: added to the report's segments so a <c>by:</c> requirement on them is judged per
    /// segment. Null offline.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>>? ProductionSegments { get; init; }

    /// <summary>
    /// How many examples each row of the table stands for (a binary feature's merged window summaries), or null when
    /// one each. Proportions and counts are then those of the examples; the bootstrap resamples each row Poisson(f) times.
    /// </summary>
    public IReadOnlyList<int>? Frequencies { get; init; }

    /// <summary>
    /// Every prediction's decision by the contract's sensitive attributes (production): fairness takes each group's
    /// selection rate from these rather than from the labelled rows, which need not be a fair sample of what the model
    /// decided. Null offline, where every row is labelled.
    /// </summary>
    public Fairness.SelectionCells? Selections { get; init; }

    /// <summary>For a generative contract: schemas, the embedder and model-judge grades; null for none of them.</summary>
    public GenerativeOptions? Generative { get; init; }

    /// <summary>Most cores the bootstrap may use; -1 (default) for all. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
