namespace Overlap.Server.Monitoring.Generative;

/// <summary>The model judge against people on one criterion, as the generative page shows it.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Agreement">"92% of 180 outputs (87% to 95%)", or that none was graded by both.</param>
/// <param name="Kappa">Cohen's kappa with its interval, or why it cannot be measured.</param>
/// <param name="Leniency">How much more often the model passes than people, in points with its interval.</param>
/// <param name="Verdict">"can stand in for people", "cannot stand in for people" or "not enough data yet".</param>
/// <param name="Counts">Whether the model's grades count toward verdicts on this criterion.</param>
/// <param name="Statement">The verdict in words with its figures, and whether the model's grades count.</param>
public sealed record JudgeTrustRow(
    string Criterion,
    string Agreement,
    string Kappa,
    string Leniency,
    string Verdict,
    bool Counts,
    string Statement
);
