using System.Text.Json;
using Overlap.Core.Planning;

namespace Overlap.Core.Tests.Planning;

public sealed class SampleSizeTests
{
    private static JsonElement Fixture(string name) =>
        JsonDocument
            .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "planning", "planning.json")))
            .RootElement.GetProperty(name);

    public static TheoryData<double, double, double, long, double, double> WilsonCases()
    {
        var data = new TheoryData<double, double, double, long, double, double>();
        foreach (var c in Fixture("wilson").EnumerateArray())
        {
            var before = c.GetProperty("half_width_at_n_minus_1");
            data.Add(
                c.GetProperty("rate").GetDouble(),
                c.GetProperty("margin").GetDouble(),
                c.GetProperty("confidence").GetDouble(),
                c.GetProperty("n").GetInt64(),
                c.GetProperty("half_width_at_n").GetDouble(),
                before.ValueKind == JsonValueKind.Null ? double.NaN : before.GetDouble()
            );
        }
        return data;
    }

    public static TheoryData<double, double, double, double, double, long> CompareCases()
    {
        var data = new TheoryData<double, double, double, double, double, long>();
        foreach (var c in Fixture("compare").EnumerateArray())
        {
            data.Add(
                c.GetProperty("baseline_rate").GetDouble(),
                c.GetProperty("candidate_rate").GetDouble(),
                c.GetProperty("alpha").GetDouble(),
                c.GetProperty("power").GetDouble(),
                c.GetProperty("per_arm_exact").GetDouble(),
                c.GetProperty("per_arm").GetInt64()
            );
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WilsonCases))]
    public void ForWilson_StatsmodelsCase_SmallestNWithinMargin(
        double rate,
        double margin,
        double confidence,
        long n,
        double halfAtN,
        double halfBefore
    )
    {
        Assert.Equal(n, SampleSize.ForWilson(rate, margin, confidence));
        Assert.Equal(halfAtN, SampleSize.WilsonHalfWidth(rate, n, confidence), 1e-9);
        Assert.True(SampleSize.WilsonHalfWidth(rate, n, confidence) <= margin);
        if (!double.IsNaN(halfBefore))
        {
            Assert.Equal(halfBefore, SampleSize.WilsonHalfWidth(rate, n - 1, confidence), 1e-9);
            Assert.True(SampleSize.WilsonHalfWidth(rate, n - 1, confidence) > margin);
        }
    }

    [Theory]
    [MemberData(nameof(CompareCases))]
    public void PerArm_StatsmodelsSolvePower_SameCount(
        double baseline,
        double candidate,
        double alpha,
        double power,
        double exact,
        long perArm
    )
    {
        Assert.Equal(exact, SampleSize.PerArmExact(baseline, candidate, alpha, power), exact * 1e-6);
        Assert.Equal(perArm, SampleSize.PerArm(baseline, candidate, alpha, power));
    }

    [Fact]
    public void Power_AtSolvedN_IsTheTarget()
    {
        var h = SampleSize.EffectSize(0.93, 0.90);
        var n = SampleSize.PerArmExact(0.90, 0.93, 0.05, 0.8);
        Assert.Equal(0.8, SampleSize.Power(h, n, 0.05), 1e-9);
        Assert.Equal(SampleSize.Power(h, n, 0.05), SampleSize.Power(-h, n, 0.05), 1e-12);
    }

    [Theory]
    [InlineData(0.9, 0, 0.95)]
    [InlineData(1.1, 0.02, 0.95)]
    [InlineData(0.9, 0.02, 1)]
    public void ForWilson_OutOfRange_Throws(double rate, double margin, double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.ForWilson(rate, margin, confidence));

    [Fact]
    public void PerArm_EqualRates_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.PerArm(0.9, 0.9));
}
