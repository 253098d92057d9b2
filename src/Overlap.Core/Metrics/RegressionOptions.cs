namespace Overlap.Core.Metrics;

/// <summary>How a regression evaluation is run: confidence and bootstrap (see <see cref="EvaluationOptions"/>).</summary>
public sealed record RegressionOptions : EvaluationOptions;
