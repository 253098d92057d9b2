using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Overlap.Core.Statistics;
using static Overlap.Core.Tests.Statistics.DriftFixtures;

namespace Overlap.Core.Tests.Statistics;

public class DriftStatisticsTests
{
    public static TheoryData<string> KsNames() => Names("ks");

    public static TheoryData<string> WassersteinNames() => Names("wasserstein");

    public static TheoryData<string> ChiNames() => Names("chi_square");

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(section))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    private static System.Text.Json.JsonElement Case(string section, string name) =>
        Cases(section).First(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(KsNames))]
    public void KolmogorovSmirnov_MatchesScipyKs2samp(string name)
    {
        var c = Case("ks", name);
        var result = KolmogorovSmirnov.TwoSample(c.Doubles("a"), c.Doubles("b"));
        AssertStatistic(c.Number("statistic"), result.Statistic, name + " D");
        AssertPValue(c.Number("p_value"), result.PValue, name + " p");
        Assert.Equal(c.GetProperty("exact").GetBoolean(), result.Exact);
    }

    [Fact]
    public void KolmogorovDistribution_MatchesScipyKstwoSf()
    {
        foreach (var c in Cases("kstwo"))
        {
            var n = c.GetProperty("n").GetInt32();
            var d = c.Number("d");
            AssertPValue(c.Number("sf"), KolmogorovDistribution.Sf(n, d), $"kstwo.sf({d}, {n})");
        }
    }

    [Theory]
    [MemberData(nameof(WassersteinNames))]
    public void Wasserstein_MatchesScipy(string name)
    {
        var c = Case("wasserstein", name);
        AssertStatistic(c.Number("distance"), Wasserstein.Distance(c.Doubles("u"), c.Doubles("v")), name);
    }

    [Theory]
    [MemberData(nameof(ChiNames))]
    public void ChiSquare_MatchesScipyChi2Contingency(string name)
    {
        var c = Case("chi_square", name);
        var result = ChiSquare.Homogeneity(c.Longs("reference"), c.Longs("current"));
        AssertStatistic(c.Number("statistic"), result.Statistic, name + " chi2");
        AssertPValue(c.Number("p_value"), result.PValue, name + " p");
    }

    [Fact]
    public void JensenShannon_MatchesScipy()
    {
        foreach (var c in Cases("jensen_shannon"))
        {
            AssertStatistic(
                c.Number("distance"),
                JensenShannon.Distance(c.Longs("p"), c.Longs("q")),
                c.GetProperty("name").GetString()!
            );
        }
    }

    [Fact]
    public void PsiNumeric_MatchesNumpyDecileRule()
    {
        foreach (var c in Cases("psi_numeric"))
        {
            AssertStatistic(
                c.Number("psi"),
                Psi.Numeric(c.Doubles("reference"), c.Doubles("current")),
                c.GetProperty("name").GetString()!
            );
        }
    }

    [Fact]
    public void PsiCategorical_MatchesNumpyShares()
    {
        foreach (var c in Cases("psi_categorical"))
        {
            AssertStatistic(
                c.Number("psi"),
                Psi.Categorical(c.Longs("reference"), c.Longs("current")),
                c.GetProperty("name").GetString()!
            );
        }
    }

    [Fact]
    public void McNemar_MatchesStatsmodels()
    {
        foreach (var c in Cases("mcnemar"))
        {
            var b = c.GetProperty("b").GetInt64();
            var cc = c.GetProperty("c").GetInt64();
            var result = McNemar.Test(b, cc);
            Assert.Equal(c.GetProperty("exact").GetBoolean(), result.Exact);
            AssertStatistic(c.Number("statistic"), result.Statistic, $"mcnemar({b}, {cc}) statistic");
            AssertPValue(c.Number("p_value"), result.PValue, $"mcnemar({b}, {cc}) p");
        }
    }

    [Fact]
    public void KolmogorovSmirnov_EmptySample_Throws() =>
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));

    [Fact]
    public void ChiSquare_SingleCategory_IsNoEvidence()
    {
        var result = ChiSquare.Homogeneity([10, 0], [20, 0]);
        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    private static double[] Sorted(double[] values)
    {
        var copy = values.Where(double.IsFinite).Select(v => Math.Round(v % 1000, 2)).ToArray();
        Array.Sort(copy);
        return copy;
    }

    [Property(MaxTest = 200)]
    public Property Ks_StatisticInUnitIntervalAndSymmetric(NonEmptyArray<NormalFloat> a, NonEmptyArray<NormalFloat> b)
    {
        var x = Sorted([.. a.Get.Select(v => v.Get)]);
        var y = Sorted([.. b.Get.Select(v => v.Get)]);
        var d1 = KolmogorovSmirnov.TwoSample(x, y);
        var d2 = KolmogorovSmirnov.TwoSample(y, x);
        return (
            d1.Statistic is >= 0 and <= 1
            && d1.Statistic == d2.Statistic
            && Math.Abs(d1.PValue - d2.PValue) <= 1e-12
            && d1.PValue is >= 0 and <= 1
        ).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Wasserstein_SymmetricAndZeroOnIdentical(NonEmptyArray<NormalFloat> a, NonEmptyArray<NormalFloat> b)
    {
        var x = Sorted([.. a.Get.Select(v => v.Get)]);
        var y = Sorted([.. b.Get.Select(v => v.Get)]);
        var w1 = Wasserstein.Distance(x, y);
        var w2 = Wasserstein.Distance(y, x);
        return (Math.Abs(w1 - w2) <= 1e-9 * Math.Max(1, w1) && w1 >= 0 && Wasserstein.Distance(x, x) == 0).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property JensenShannon_Bounded(NonEmptyArray<PositiveInt> p, NonEmptyArray<NonNegativeInt> q)
    {
        var length = Math.Min(p.Get.Length, q.Get.Length);
        var pc = p.Get.Take(length).Select(v => (long)v.Get).ToArray();
        var qc = q.Get.Take(length).Select(v => (long)v.Get).ToArray();
        qc[0] += 1;
        var js = JensenShannon.Distance(pc, qc);
        return (js >= 0 && js <= Math.Sqrt(Math.Log(2)) + 1e-12).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Psi_NonNegative(
        NonEmptyArray<NormalFloat> a,
        NonEmptyArray<NormalFloat> b,
        NonEmptyArray<PositiveInt> rc,
        NonEmptyArray<PositiveInt> cc
    )
    {
        var x = Sorted([.. a.Get.Select(v => v.Get)]);
        var y = Sorted([.. b.Get.Select(v => v.Get)]);
        var length = Math.Min(rc.Get.Length, cc.Get.Length);
        var numeric = x.Length == 0 || y.Length == 0 || Psi.Numeric(x, y) >= 0;
        var categorical =
            Psi.Categorical(
                [.. rc.Get.Take(length).Select(v => (long)v.Get)],
                [.. cc.Get.Take(length).Select(v => (long)v.Get)]
            ) >= -1e-15;
        return (numeric && categorical).ToProperty();
    }
}
