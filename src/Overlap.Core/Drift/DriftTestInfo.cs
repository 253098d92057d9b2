using Overlap.Core.Data;

namespace Overlap.Core.Drift;

/// <summary>
/// The one declaration of a drift test: its kind and wire name, its title and the sentence that explains its figure,
/// its threshold, the column kinds it takes, when it is the default, and its computation. Every list, switch and
/// message about drift tests is derived from the declarations in <see cref="DriftTests"/>.
/// </summary>
public sealed class DriftTestInfo
{
    /// <summary>Declares a drift test.</summary>
    /// <param name="kind">Its kind.</param>
    /// <param name="name">The name used in contracts, the CLI and reports ("jensen_shannon").</param>
    /// <param name="title">Its name for people ("Jensen–Shannon distance").</param>
    internal DriftTestInfo(DriftTestKind kind, string name, string title)
    {
        Kind = kind;
        Name = name;
        Title = title;
    }

    /// <summary>Its kind.</summary>
    public DriftTestKind Kind { get; }

    /// <summary>The name used in contracts, the CLI and reports ("jensen_shannon").</summary>
    public string Name { get; }

    /// <summary>Its name for people ("Jensen–Shannon distance").</summary>
    public string Title { get; }

    /// <summary>What its statistic is, as docs/drift.md lists it ("Pearson chi-square, with its p-value").</summary>
    public required string Measures { get; init; }

    /// <summary>The p-value's alpha (drift below it) when <see cref="HasPValue"/>; else the bar the statistic must reach.</summary>
    public required double Threshold { get; init; }

    /// <summary>True for a test judged by its p-value (ks, chi_square); false for a distance judged by its size.</summary>
    public bool HasPValue { get; init; }

    /// <summary>The column kinds it takes: numeric, categorical, or both.</summary>
    public required IReadOnlyList<ColumnKind> Columns { get; init; }

    /// <summary>When it is the default for its one column kind: for a small reference (true), a large one (false), or never (null).</summary>
    public bool? DefaultForSmallReference { get; init; }

    /// <summary>Whether it can run on a column of this kind.</summary>
    public bool Takes(ColumnKind kind) => Columns.Contains(kind);

    /// <summary>Its statistic and p-value on two samples sorted ascending without NaN, when it takes numbers.</summary>
    internal NumericStatistic? OnNumbers { get; init; }

    /// <summary>Its statistic and p-value on two count vectors over the same categories, when it takes categories.</summary>
    internal Func<long[], long[], (double Statistic, double? PValue)>? OnCounts { get; init; }

    /// <summary>Its figure in words, from the result, the statistic and the threshold as numbers for prose.</summary>
    internal Func<ColumnDriftResult, string, string, string>? Meaning { get; init; }

    /// <summary>Judges a statistic and its p-value against the threshold.</summary>
    internal ColumnDriftResult Judge(double statistic, double? pValue) =>
        new(Kind, statistic, pValue, Threshold, HasPValue ? pValue < Threshold : statistic >= Threshold);
}

/// <summary>A drift statistic and its p-value (null for a distance) on two sorted samples.</summary>
internal delegate (double Statistic, double? PValue) NumericStatistic(
    ReadOnlySpan<double> referenceSorted,
    ReadOnlySpan<double> currentSorted
);
