namespace Overlap.Core.Drift;

/// <summary>The per-column drift tests (DESIGN.md, "Statistics").</summary>
public enum DriftTestKind
{
    /// <summary>Two-sample Kolmogorov–Smirnov; drift at p &lt; 0.05.</summary>
    Ks,

    /// <summary>Wasserstein-1 distance over the reference's standard deviation; drift at ≥ 0.1.</summary>
    Wasserstein,

    /// <summary>Pearson chi-square test of homogeneity; drift at p &lt; 0.05.</summary>
    ChiSquare,

    /// <summary>Jensen–Shannon distance of the category shares; drift at ≥ 0.1.</summary>
    JensenShannon,

    /// <summary>Population stability index; drift at ≥ 0.25.</summary>
    Psi,
}
