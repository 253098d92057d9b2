using Overlap.Core.Data;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Drift;

/// <summary>
/// Every per-column drift test, each declared once (<see cref="DriftTestInfo"/>), with the thresholds and the reference
/// size that switches defaults. Adding a test means its <see cref="DriftTestKind"/> member and declaration here, its
/// statistic in <c>Statistics/</c>, and its test (<c>DriftTestCatalogTests</c> checks every derived place).
/// </summary>
public static class DriftTests
{
    /// <summary>References with more rows than this get the distance tests by default (as Evidently).</summary>
    public const int LargeReference = 1000;

    /// <summary>Alpha for the p-value tests (ks, chi_square).</summary>
    public const double Alpha = 0.05;

    /// <summary>The bar for the normalised Wasserstein and Jensen–Shannon distances.</summary>
    public const double DistanceThreshold = 0.1;

    /// <summary>The bar for PSI.</summary>
    public const double PsiThreshold = 0.25;

    /// <summary>The PSI from which a shift is worth watching, below drift.</summary>
    public const double PsiWarn = 0.1;

    /// <summary>The report's test name for a column judged by its schema (missing, or of another type now), not by a statistic.</summary>
    public const string Schema = "schema";

    /// <summary>The contract's and the CLI's word for "pick the test by column kind and reference size".</summary>
    public const string Auto = "auto";

    private static readonly ColumnKind[] Numbers = [ColumnKind.Numeric];
    private static readonly ColumnKind[] Categories = [ColumnKind.Categorical];

    /// <summary>Every test, in the order the docs and messages list them.</summary>
    public static IReadOnlyList<DriftTestInfo> All { get; } =
    [
        new(DriftTestKind.Ks, "ks", "Kolmogorov–Smirnov")
        {
            Measures = "Kolmogorov–Smirnov D, with its p-value",
            Threshold = Alpha,
            HasPValue = true,
            Columns = Numbers,
            DefaultForSmallReference = true,
            OnNumbers = static (r, c) =>
            {
                if (r.IsEmpty || c.IsEmpty)
                {
                    return (double.NaN, null);
                }
                var ks = KolmogorovSmirnov.TwoSample(r, c);
                return (ks.Statistic, ks.PValue);
            },
            Meaning = (result, s, _) =>
                $"Kolmogorov–Smirnov D = {s} (the largest gap between the two samples' cumulative shares), {PValue(result, "the two samples are unlikely to come from one distribution", "no evidence that the distribution changed")}",
        },
        new(DriftTestKind.Wasserstein, "wasserstein", "Wasserstein distance (over the reference's standard deviation)")
        {
            Measures = "Wasserstein-1 distance in reference standard deviations",
            Threshold = DistanceThreshold,
            Columns = Numbers,
            DefaultForSmallReference = false,
            OnNumbers = static (r, c) =>
                (Wasserstein.Distance(r, c) / Math.Max(NumericDrift.PopulationStd(r), NumericDrift.MinimumStd), null),
            Meaning = (result, s, bar) =>
                $"Wasserstein distance {s} reference standard deviations (drift at {bar}): the typical value moved by about {Spread(result.Statistic)} of the reference's usual spread",
        },
        new(DriftTestKind.ChiSquare, "chi_square", "Chi-square")
        {
            Measures = "Pearson chi-square, with its p-value",
            Threshold = Alpha,
            HasPValue = true,
            Columns = Categories,
            DefaultForSmallReference = true,
            OnCounts = static (r, c) =>
            {
                var chi = ChiSquare.Homogeneity(r, c);
                return (chi.Statistic, chi.PValue);
            },
            Meaning = (result, s, _) =>
                $"chi-square {s} (how far the category counts are from what equal shares would give), {PValue(result, "the category shares are unlikely to be the same in both", "no evidence that the category shares changed")}",
        },
        new(DriftTestKind.JensenShannon, "jensen_shannon", "Jensen–Shannon distance")
        {
            Measures = "Jensen–Shannon distance of the category shares",
            Threshold = DistanceThreshold,
            Columns = Categories,
            DefaultForSmallReference = false,
            OnCounts = static (r, c) => (JensenShannon.Distance(r, c), null),
            Meaning = (_, s, bar) => $"Jensen–Shannon distance {s} (0 = same shares, 1 = no overlap; drift at {bar})",
        },
        new(DriftTestKind.Psi, "psi", "PSI")
        {
            Measures = "population stability index",
            Threshold = PsiThreshold,
            Columns = [ColumnKind.Numeric, ColumnKind.Categorical],
            OnNumbers = static (r, c) => (Psi.Numeric(r, c), null),
            OnCounts = static (r, c) => (Psi.Categorical(r, c), null),
            Meaning = (_, s, bar) =>
                $"population stability index {s} (under {Phrasing.Number(PsiWarn)} stable, {Phrasing.Number(PsiWarn)} to {bar} a moderate shift worth watching, {bar} or more drift)",
        },
    ];

    /// <summary>Every word a contract or the CLI may give for a test: auto, then each test's name.</summary>
    public static IReadOnlyList<string> Words { get; } = [Auto, .. All.Select(t => t.Name)];

    /// <summary>The declaration of a kind.</summary>
    public static DriftTestInfo Of(DriftTestKind kind) => All.Single(t => t.Kind == kind);

    /// <summary>The test of this name, or null.</summary>
    public static DriftTestInfo? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The report and contract name of a test: ks, wasserstein, chi_square, jensen_shannon or psi.</summary>
    public static string Name(DriftTestKind kind) => Of(kind).Name;

    /// <summary>The default test for a column kind and a reference of this many rows.</summary>
    public static DriftTestInfo Default(ColumnKind kind, long referenceRows) =>
        All.Single(t =>
            t.Takes(kind) && t.Columns.Count == 1 && t.DefaultForSmallReference == (referenceRows <= LargeReference)
        );

    /// <summary>The names of the tests that take a column kind, for messages: "chi_square, jensen_shannon or psi".</summary>
    public static string NamesFor(ColumnKind kind) =>
        Either(All.Where(t => t.Takes(kind)).Select(t => t.Name).ToList());

    /// <summary>Every word, for messages: "auto, ks, wasserstein, chi_square, jensen_shannon or psi".</summary>
    public static string WordList => Either(Words);

    /// <summary>Parses a test name; <c>auto</c> gives null (the defaults).</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Words"/>.</exception>
    public static DriftTestKind? Parse(string name) =>
        TryParse(name, out var kind)
            ? kind
            : throw new ArgumentException(
                $"unknown drift test '{name}'; use one of: {string.Join(", ", Words)}",
                nameof(name)
            );

    /// <summary>Parses a test name (any case); true with a null kind for <c>auto</c>, false for an unknown name.</summary>
    public static bool TryParse(string name, out DriftTestKind? kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        var word = name.ToLowerInvariant();
        kind = Find(word)?.Kind;
        return kind is not null || word == Auto;
    }

    private static string Either(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    // Shares of a spread read better as a percentage up to about twice the spread, then as "times".
    private static string Spread(double sds) =>
        sds < 1.995 ? Phrasing.Percent(sds) : $"{Phrasing.Number(Math.Round(sds, 1))} times";

    private static string PValue(ColumnDriftResult result, string drifted, string stable) =>
        result.PValue is { } p
            ? $"{Phrasing.PValue(p)} ({(result.Drift ? "below" : "at or above")} {Phrasing.Number(result.Threshold)}: {(result.Drift ? drifted : stable)})"
            : "no p-value";
}
