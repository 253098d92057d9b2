namespace Overlap.Core.Drift;

/// <summary>Thresholds, the reference size that switches defaults, and the report names of the drift tests.</summary>
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

    /// <summary>The report and contract name of a test: ks, wasserstein, chi_square, jensen_shannon or psi.</summary>
    public static string Name(DriftTestKind kind) => kind switch
    {
        DriftTestKind.Ks => "ks",
        DriftTestKind.Wasserstein => "wasserstein",
        DriftTestKind.ChiSquare => "chi_square",
        DriftTestKind.JensenShannon => "jensen_shannon",
        _ => "psi",
    };

    /// <summary>Parses a test name; <c>auto</c> gives null (the defaults).</summary>
    /// <exception cref="ArgumentException">The name is none of auto, ks, wasserstein, chi_square, jensen_shannon, psi.</exception>
    public static DriftTestKind? Parse(string name) => TryParse(name, out var kind)
        ? kind
        : throw new ArgumentException($"unknown drift test '{name}'; use one of: auto, ks, wasserstein, chi_square, jensen_shannon, psi", nameof(name));

    /// <summary>Parses a test name; true with a null kind for <c>auto</c>, false for an unknown name.</summary>
    public static bool TryParse(string name, out DriftTestKind? kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        (var known, kind) = name.ToLowerInvariant() switch
        {
            "auto" => (true, (DriftTestKind?)null),
            "ks" => (true, DriftTestKind.Ks),
            "wasserstein" => (true, DriftTestKind.Wasserstein),
            "chi_square" => (true, DriftTestKind.ChiSquare),
            "jensen_shannon" => (true, DriftTestKind.JensenShannon),
            "psi" => (true, DriftTestKind.Psi),
            _ => (false, null),
        };
        return known;
    }
}
