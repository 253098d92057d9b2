namespace Overlap.Core.Evaluation;

/// <summary>One of two compared runs, as its report says.</summary>
/// <param name="Name">The run's name ("model v2").</param>
/// <param name="N">Examples evaluated.</param>
/// <param name="Verdict">The run's verdict against its contract.</param>
/// <param name="Confidence">The confidence of the run's intervals.</param>
public sealed record RunSide(string Name, long N, Verdict Verdict, double Confidence);
