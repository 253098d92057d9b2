namespace Overlap.Core.Metrics;

/// <summary>How a multiclass evaluation is run: confidence and bootstrap (see <see cref="EngineOptions"/>).</summary>
internal sealed record MulticlassOptions : EngineOptions;
