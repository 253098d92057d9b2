namespace Overlap.Core.Contracts;

/// <summary>The contract's <c>fairness:</c> section: the sensitive attributes, their intersections and the bars between groups.</summary>
public sealed record FairnessPolicy
{
    /// <summary>The default smallest group a measure is judged on: 30 examples behind the group's rate.</summary>
    public const int DefaultMinGroupSize = 30;

    /// <summary>Columns (or production attributes and inputs) that say which group an example belongs to; they need not be model inputs.</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>Combinations of attributes whose joint groups are compared too, such as [sex, race].</summary>
    public IReadOnlyList<IReadOnlyList<string>> Intersections { get; init; } = [];

    /// <summary>The fewest examples behind a group's rate (its examples, positives or negatives) before a measure over it is judged.</summary>
    public int MinGroupSize { get; init; } = DefaultMinGroupSize;

    /// <summary>The bars.</summary>
    public IReadOnlyList<FairnessRequirement> Requirements { get; init; } = [];

    /// <summary>Every grouping compared: each attribute alone, then each intersection, then any other a requirement names.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Groupings()
    {
        var all = new List<IReadOnlyList<string>>();
        foreach (
            var g in Attributes
                .Select(a => (IReadOnlyList<string>)[a])
                .Concat(Intersections)
                .Concat(Requirements.Select(r => r.By))
        )
        {
            if (!all.Exists(x => x.SequenceEqual(g, StringComparer.Ordinal)))
            {
                all.Add(g);
            }
        }
        return all;
    }

    /// <summary>How a grouping is named in reports: "sex", "sex × race".</summary>
    public static string Name(IReadOnlyList<string> attributes) => string.Join(" × ", attributes);
}
