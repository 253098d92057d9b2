using System.Text.Json;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Statistics;

/// <summary>The Poisson draws of the weighted bootstrap against scipy.stats.poisson (make_sketch_fixtures.py).</summary>
public sealed class PoissonDrawTests
{
    private const int Draws = 200_000;

    public static TheoryData<int> Means() => [1, 3, 9, 10, 30, 250, 4000];

    [Theory]
    [MemberData(nameof(Means))]
    public void Draws_follow_scipys_poisson(int mean)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "quantile", "sketch_fixtures.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        double[] pmf =
        [
            .. document
                .RootElement.GetProperty("poisson")
                .GetProperty(mean.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .EnumerateArray()
                .Select(p => p.GetDouble()),
        ];
        var draw = new PoissonDraw([mean]);
        var rng = new Xoshiro256(42);
        var histogram = new double[pmf.Length + 1];
        double sum = 0,
            squares = 0;
        for (var i = 0; i < Draws; i++)
        {
            var k = draw.Next(ref rng, 0);
            Assert.True(k >= 0, "a draw is never negative");
            histogram[Math.Min(k, pmf.Length)]++;
            sum += k;
            squares += (double)k * k;
        }
        var sampleMean = sum / Draws;
        var variance = (squares / Draws) - (sampleMean * sampleMean);
        // Mean and variance (both λ for a Poisson) within 5 standard errors: λ/N for the mean, (μ₄ − σ⁴)/N =
        // (λ + 2λ²)/N for the variance.
        var meanError = Math.Sqrt(mean / (double)Draws);
        var varianceError = Math.Sqrt((mean + (2.0 * mean * mean)) / Draws);
        Assert.InRange(sampleMean, mean - (5 * meanError), mean + (5 * meanError));
        Assert.InRange(variance, mean - (5 * varianceError), mean + (5 * varianceError));
        // Total variation distance over bins about half a standard deviation wide, so sampling noise alone stays far
        // below the bar (with single values for a large mean, noise alone would exceed it).
        var width = Math.Max(1, (int)(Math.Sqrt(mean) / 2));
        var distance =
            0.5
            * Enumerable
                .Range(0, (pmf.Length / width) + 1)
                .Sum(b =>
                    Math.Abs(
                        Enumerable
                            .Range(b * width, width)
                            .Where(k => k < pmf.Length)
                            .Sum(k => (histogram[k] / Draws) - pmf[k])
                    )
                );
        distance += 0.5 * histogram[^1] / Draws;
        Assert.True(distance < 0.01, $"total variation distance {distance} from scipy's pmf");
    }

    [Fact]
    public void A_replicate_repeats_from_its_seed_and_differs_from_the_next()
    {
        var draw = new PoissonDraw([0, 1, 5, 40, 1000]);
        int[] first = new int[5],
            again = new int[5],
            next = new int[5];
        draw.Fill(first, 7, 3);
        draw.Fill(again, 7, 3);
        draw.Fill(next, 7, 4);
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.Equal(0, first[0]);
    }

    [Fact]
    public void A_mean_of_zero_always_draws_zero()
    {
        var draw = new PoissonDraw([0]);
        var rng = new Xoshiro256(5);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(0, draw.Next(ref rng, 0));
            Assert.Equal(0, PoissonDraw.Sample(ref rng, 0));
            Assert.Equal(0, PoissonDraw.Sample(ref rng, -1e-12));
        }
        var counts = new int[1_000];
        draw = new PoissonDraw(new int[counts.Length]);
        for (var replicate = 0; replicate < 20; replicate++)
        {
            draw.Fill(counts, 11, replicate);
            Assert.All(counts, c => Assert.Equal(0, c));
        }
    }

    [Fact]
    public void A_mean_that_is_not_a_number_is_refused_rather_than_drawn_for_ever() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var rng = new Xoshiro256(1);
            return PoissonDraw.Sample(ref rng, double.NaN);
        });

    [Theory]
    [InlineData(0.3)]
    [InlineData(17.5)]
    public void Fractional_means_draw_with_that_mean(double mean)
    {
        var rng = new Xoshiro256(9);
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += PoissonDraw.Sample(ref rng, mean);
        }
        Assert.InRange(sum / Draws, mean - (5 * Math.Sqrt(mean / Draws)), mean + (5 * Math.Sqrt(mean / Draws)));
    }
}
