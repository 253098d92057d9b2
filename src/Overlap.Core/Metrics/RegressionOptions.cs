namespace Overlap.Core.Metrics;

/// <summary>How a regression evaluation is run: confidence and bootstrap (see <see cref="EngineOptions"/>).</summary>
internal sealed record RegressionOptions : EngineOptions;
