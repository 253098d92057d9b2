using Overlap.Core.Generative;

namespace Overlap.Core.Contracts;

/// <summary>A feature's quality contract (<c>overlap.yaml</c>): what good enough means, written down.</summary>
public sealed record Contract
{
    /// <summary>The feature's slug.</summary>
    public required string Feature { get; init; }

    /// <summary>What the feature does, in a sentence.</summary>
    public string? Description { get; init; }

    /// <summary>Who owns it: role → contact.</summary>
    public IReadOnlyDictionary<string, string> Owners { get; init; } = new Dictionary<string, string>();

    /// <summary>What the model does.</summary>
    public required TaskKind Task { get; init; }

    /// <summary>The label values.</summary>
    public ContractLabels Labels { get; init; } = new();

    /// <summary>Which columns hold what.</summary>
    public required ContractColumns Columns { get; init; }

    /// <summary>The decision threshold on the score (binary); ignored when <see cref="OptimizeThreshold"/>.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Use the threshold with the lowest expected cost on the data.</summary>
    public bool OptimizeThreshold { get; init; }

    /// <summary>What each kind of error costs.</summary>
    public ContractCosts Costs { get; init; } = new();

    /// <summary>The words statements use.</summary>
    public ContractWords Words { get; init; } = new();

    /// <summary>Two-sided confidence of every interval.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>The bars.</summary>
    public IReadOnlyList<Requirement> Requirements { get; init; } = [];

    /// <summary>How production is watched, if written.</summary>
    public MonitoringPolicy? Monitoring { get; init; }

    /// <summary>Which cases go to a person, if written.</summary>
    public ReviewPolicy? Review { get; init; }

    /// <summary>Generative: the checks, the rubric, what counts as acceptable and who judges; null for other tasks.</summary>
    public GenerativeSpec? Generative { get; init; }

    /// <summary>Drift test choices.</summary>
    public DriftPolicy Drift { get; init; } = new();

    /// <summary>Who uses the feature: the user attribute and the activation period, if written.</summary>
    public UsagePolicy? Usage { get; init; }

    /// <summary>The experiments: new model versions tried against the one in use on live traffic.</summary>
    public IReadOnlyList<ExperimentSpec> Experiments { get; init; } = [];

    /// <summary>The fairness section: sensitive attributes and the bars between their groups; null when not written.</summary>
    public FairnessPolicy? Fairness { get; init; }

    /// <summary>What the store may keep of each event's fields and for how long; null keeps everything for good.</summary>
    public PrivacyPolicy? Privacy { get; init; }

    /// <summary>What the guard does at run time: input and output expectations and the route of each failure; null when not written.</summary>
    public WorkflowPolicy? Workflow { get; init; }
}
