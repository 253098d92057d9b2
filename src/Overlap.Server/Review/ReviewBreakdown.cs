using Overlap.Core.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>
/// What the reviewers found, in figures: of the settled decisions, how many approved the model's answer and how many
/// found it wrong, and the wrong ones grouped by the contract's failure category (with "no category given"), or, when
/// the contract names none, by the model's answer and the reviewer's ("spam → ham").
/// </summary>
/// <param name="Decided">Settled decisions.</param>
/// <param name="Approved">Of those, the ones that found the model right.</param>
/// <param name="ByCategory">True when <paramref name="Groups"/> are the contract's failure categories; false when they are answer pairs.</param>
/// <param name="Groups">Each group of the decisions that found the model wrong, most first, with its count.</param>
internal sealed record ReviewBreakdown(
    long Decided,
    long Approved,
    bool ByCategory,
    IReadOnlyList<(string Group, long Count)> Groups
)
{
    /// <summary>The group of wrong answers whose reviewer gave no category.</summary>
    public const string NoCategory = "no category given";

    /// <summary>Decisions that found the model wrong.</summary>
    public long Wrong => Decided - Approved;

    /// <summary>The breakdown of <paramref name="settled"/>; <paramref name="modelLabel"/> gives the model's answer of each.</summary>
    public static ReviewBreakdown Of(
        Contract contract,
        IReadOnlyList<SettledReview> settled,
        Func<SettledReview, string?> modelLabel
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(settled);
        ArgumentNullException.ThrowIfNull(modelLabel);
        var categories = contract.Review?.FailureCategories ?? [];
        var wrong = settled.Where(r => r.Decision != "approve").ToList();
        var counts = wrong
            .GroupBy(
                r =>
                    categories.Count > 0
                        ? r.Category ?? NoCategory
                        : $"{modelLabel(r) ?? "no answer"} → {r.Label ?? "no label"}",
                StringComparer.Ordinal
            )
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        // Every category the contract names is shown, even one no decision used yet; most first, ties in the contract's order.
        var names =
            categories.Count > 0
                ? categories
                    .Where(c => c != NoCategory)
                    .Append(NoCategory)
                    .Where(c => c != NoCategory || counts.ContainsKey(c))
                : counts.Keys.Order(StringComparer.Ordinal);
        var groups = names
            .Select(name => (name, counts.GetValueOrDefault(name)))
            .OrderByDescending(g => g.Item2)
            .ToList();
        return new ReviewBreakdown(settled.Count, settled.Count - wrong.Count, categories.Count > 0, groups);
    }
}
