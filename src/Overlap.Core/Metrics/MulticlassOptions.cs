namespace Overlap.Core.Metrics;

/// <summary>How a multiclass evaluation is run: confidence and bootstrap (see <see cref="EvaluationOptions"/>).</summary>
public sealed record MulticlassOptions : EvaluationOptions;
