using System.Text.Json;
using FsCheck.Xunit;
using Overlap.Core.Estimation;

namespace Overlap.Core.Tests.Estimation;

/// <summary>Isotonic calibration against scikit-learn, CBPE arithmetic against numpy (make_estimation_fixtures.py).</summary>
public sealed class EstimationTests
{
    public static TheoryData<string> Cases() => [.. Fixtures().Select(c => c.GetProperty("name").GetString()!)];

    private static IEnumerable<JsonElement> Fixtures()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "estimation", "estimation_fixtures.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray();
    }

    private static JsonElement Case(string name) => Fixtures().Single(c => c.GetProperty("name").GetString() == name);

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Isotonic_MatchesScikitLearn(string name)
    {
        var c = Case(name);
        var fit = IsotonicCalibrator.Fit(
            Doubles(c.GetProperty("reference_scores")),
            [.. c.GetProperty("reference_labels").EnumerateArray().Select(v => (byte)v.GetInt32())]
        );
        var expected = Doubles(c.GetProperty("calibrated"));
        var scores = Doubles(c.GetProperty("current_scores"));
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(expected[i], fit.Predict(scores[i]), 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExpectedConfusionAndMetrics_MatchNumpy(string name)
    {
        var c = Case(name);
        var estimate = PerformanceEstimator.Estimate(
            Doubles(c.GetProperty("current_scores")),
            Doubles(c.GetProperty("calibrated")),
            c.GetProperty("threshold").GetDouble(),
            0.95,
            200,
            7,
            recalibrated: true
        );
        var expected = c.GetProperty("expected");
        Assert.Equal(expected.GetProperty("tp").GetDouble(), estimate.ExpectedTp, 1e-9);
        Assert.Equal(expected.GetProperty("fp").GetDouble(), estimate.ExpectedFp, 1e-9);
        Assert.Equal(expected.GetProperty("fn").GetDouble(), estimate.ExpectedFn, 1e-9);
        Assert.Equal(expected.GetProperty("tn").GetDouble(), estimate.ExpectedTn, 1e-9);
        foreach (var metric in c.GetProperty("metrics").EnumerateObject())
        {
            var value = estimate.Metrics[metric.Name];
            Assert.Equal(metric.Value.GetDouble(), value.Value, 1e-9);
            Assert.True(
                value.CiLow <= value.Value && value.Value <= value.CiHigh,
                $"{metric.Name}: {value.Value} outside [{value.CiLow}, {value.CiHigh}]"
            );
        }
    }

    [Fact]
    public void Calibration_IsChosenOnlyWhenItHelpsOutOfSample()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 4000).Select(_ => random.NextDouble()).ToArray();
        // Over-confident scores: the truth is score squared. Isotonic should be chosen.
        var skewed = scores.Select(s => (byte)(random.NextDouble() < s * s ? 1 : 0)).ToArray();
        var chosen = ScoreCalibration.Fit(scores, skewed);
        Assert.True(chosen.Recalibrated);
        Assert.True(chosen.EceCalibrated < chosen.EceRaw);
        Assert.Equal(0.25, chosen.Probability(0.5), 0.06);
        // Well-calibrated scores on a coarse grid: nothing to gain, the scores are kept.
        var grid = scores.Select(s => Math.Round(s, 1)).ToArray();
        var honest = grid.Select(s => (byte)(random.NextDouble() < s ? 1 : 0)).ToArray();
        var kept = ScoreCalibration.Fit(grid, honest);
        Assert.Equal(kept.EceCalibrated < kept.EceRaw, kept.Recalibrated);
        Assert.False(ScoreCalibration.Fit([0.1, 0.9], [0, 1]).Recalibrated);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_stored_calibration_reads_back_as_scikit_learns_fit(string name)
    {
        var c = Case(name);
        var reference = Doubles(c.GetProperty("reference_scores"));
        var labels = c.GetProperty("reference_labels").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        var fitted = ScoreCalibration.Fit(reference, labels);
        var read = ScoreCalibration.FromBytes(fitted.ToBytes());
        Assert.Equal(fitted.Recalibrated, read.Recalibrated);
        Assert.Equal(fitted.EceRaw, read.EceRaw);
        Assert.Equal(fitted.EceCalibrated, read.EceCalibrated);
        var expected = Doubles(c.GetProperty("calibrated"));
        var scores = Doubles(c.GetProperty("current_scores"));
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(fitted.Probability(scores[i]), read.Probability(scores[i]));
            if (read.Recalibrated)
            {
                Assert.Equal(expected[i], read.Probability(scores[i]), 1e-12);
            }
        }
    }

    [Fact]
    public void Stored_calibrations_that_are_not_one_are_refused_and_identity_reads_back_as_itself()
    {
        Assert.Same(ScoreCalibration.Identity, ScoreCalibration.FromBytes(ScoreCalibration.Identity.ToBytes()));
        var random = new Random(5);
        var scores = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var fitted = ScoreCalibration.Fit(scores, [.. scores.Select(s => (byte)(random.NextDouble() < s * s ? 1 : 0))]);
        Assert.True(fitted.Recalibrated);
        var bytes = fitted.ToBytes();
        Assert.Throws<FormatException>(() => ScoreCalibration.FromBytes([]));
        Assert.Throws<FormatException>(() => ScoreCalibration.FromBytes(bytes.AsSpan(0, bytes.Length - 8)));
        var otherLayout = bytes.ToArray();
        otherLayout[0] = 2;
        Assert.Throws<FormatException>(() => ScoreCalibration.FromBytes(otherLayout));
        // The first fitted score written over the third: not ascending, so not a fit.
        var swapped = bytes.ToArray();
        swapped.AsSpan(22, 8).CopyTo(swapped.AsSpan(22 + 16, 8));
        Assert.Throws<FormatException>(() => ScoreCalibration.FromBytes(swapped));
    }

    [Property(MaxTest = 200)]
    public bool Estimates_AreProportions_AndCountsSumToN(int seed, byte size, byte thresholdStep)
    {
        var random = new Random(seed);
        var n = size + 1;
        var scores = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var p = scores.Select(s => Math.Clamp(s + (random.NextDouble() - 0.5) * 0.2, 0, 1)).ToArray();
        var estimate = PerformanceEstimator.Estimate(
            scores,
            p,
            (thresholdStep % 11) / 10.0,
            0.9,
            20,
            (ulong)seed,
            false
        );
        var total = estimate.ExpectedTp + estimate.ExpectedFp + estimate.ExpectedFn + estimate.ExpectedTn;
        return Math.Abs(total - n) < 1e-9
            && estimate.Metrics.Values.All(m => double.IsNaN(m.Value) || (m.Value >= -1e-12 && m.Value <= 1 + 1e-12));
    }

    [Fact]
    public void CertainProbabilities_GiveTheRealisedMetrics()
    {
        // With p equal to the true labels, the estimate is the realised confusion and ROC AUC, and every draw agrees.
        double[] scores = [0.9, 0.8, 0.8, 0.6, 0.4, 0.3, 0.3, 0.1];
        double[] labels = [1, 1, 0, 1, 0, 1, 0, 0];
        var estimate = PerformanceEstimator.Estimate(scores, labels, 0.5, 0.95, 50, 1, false);
        Assert.Equal(
            (3.0, 1.0, 1.0, 3.0),
            (estimate.ExpectedTp, estimate.ExpectedFp, estimate.ExpectedFn, estimate.ExpectedTn)
        );
        // sklearn.metrics.roc_auc_score([1,1,0,1,0,1,0,0], [0.9,0.8,0.8,0.6,0.4,0.3,0.3,0.1]) = 0.75
        Assert.Equal(0.75, estimate.Metrics["roc_auc"].Value, 1e-12);
        Assert.Equal((0.75, 0.75), (estimate.Metrics["roc_auc"].CiLow, estimate.Metrics["roc_auc"].CiHigh));
    }
}
