namespace Overlap.Server.Monitoring.Charts;

/// <summary>The expected cost of mistakes per 1,000 decisions if the threshold were <paramref name="Threshold"/>.</summary>
public sealed record CostPoint(double Threshold, double CostPer1000);
