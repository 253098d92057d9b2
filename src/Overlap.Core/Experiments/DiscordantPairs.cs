using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>
/// McNemar's test of a rate on paired decisions: of the pairs the rate counts (for recall, the positive examples),
/// those where only the control's decision is a success of the rate and those where only the treatment's is; the
/// pairs where both agree say nothing about the difference.
/// </summary>
/// <param name="Pairs">The pairs the rate counts (for recall, the positive examples).</param>
/// <param name="ControlOnly">Pairs where only the control's decision is a success (for recall: only the control caught it).</param>
/// <param name="TreatmentOnly">Pairs where only the treatment's decision is a success.</param>
/// <param name="Test">McNemar's test on the two counts, exact below 25 discordant pairs (<see cref="McNemar"/>).</param>
public sealed record DiscordantPairs(long Pairs, long ControlOnly, long TreatmentOnly, TestResult Test);
