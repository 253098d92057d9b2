namespace Overlap.Core.Experiments;

/// <summary>How a shadow experiment's predictions were paired (the served one with its shadow on the same example).</summary>
/// <param name="Pairs">Served predictions with their shadow prediction.</param>
/// <param name="Labelled">Pairs whose label had time to arrive: what the rates compare.</param>
/// <param name="ShadowWithoutServed">Shadow predictions whose served prediction is missing: left out.</param>
/// <param name="ServedWithoutShadow">Served predictions of the control with no shadow prediction: left out.</param>
public sealed record ShadowCounts(long Pairs, long Labelled, long ShadowWithoutServed, long ServedWithoutShadow);
