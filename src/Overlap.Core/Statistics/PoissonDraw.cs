using MathNet.Numerics;

namespace Overlap.Core.Statistics;

/// <summary>
/// Poisson draws for the Poisson bootstrap of rows that stand for many examples (a summary cell of f examples is
/// resampled as Poisson(f) copies). Exact: inversion below a mean of 10, Hörmann's transformed rejection (PTRS, as
/// numpy's <c>random.poisson</c>) above, with the per-mean constants computed once.
/// </summary>
internal sealed class PoissonDraw
{
    private const double InversionBelow = 10;

    private readonly int[] _means;
    private readonly double[] _constants;

    private const int Stride = 8;

    /// <summary>Prepares draws with one mean per row.</summary>
    public PoissonDraw(int[] means)
    {
        _means = means;
        _constants = new double[means.Length * Stride];
        for (var i = 0; i < means.Length; i++)
        {
            Prepare(means[i], _constants.AsSpan(i * Stride, Stride));
        }
    }

    /// <summary>
    /// One draw from Poisson(<paramref name="mean"/>) for any mean ≥ 0 (the constants computed on the spot); a mean
    /// below 0 (a difference of sums a rounding below zero) draws 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The mean is NaN (the rejection loop would never end).</exception>
    public static double Sample(ref Xoshiro256 rng, double mean)
    {
        if (double.IsNaN(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "a Poisson mean is a number");
        }
        Span<double> c = stackalloc double[Stride];
        Prepare(mean, c);
        return Draw(ref rng, mean, c);
    }

    private static void Prepare(double lam, Span<double> c)
    {
        if (lam < InversionBelow)
        {
            c[0] = Math.Exp(-lam);
            return;
        }
        var slam = Math.Sqrt(lam);
        var b = 0.931 + (2.53 * slam);
        var a = -0.059 + (0.02483 * b);
        c[0] = Math.Log(lam);
        c[1] = b;
        c[2] = a;
        c[3] = Math.Log(1.1239 + (1.1328 / (b - 3.4)));
        c[4] = 0.9277 - (3.6224 / (b - 2));
    }

    /// <summary>Fills one replicate's counts, each row's from Poisson(its mean), from (seed, replicate) alone.</summary>
    public void Fill(Span<int> counts, ulong seed, int replicate)
    {
        var rng = new Xoshiro256(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(replicate + 1)));
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Next(ref rng, i);
        }
    }

    /// <summary>One draw for row <paramref name="row"/>.</summary>
    public int Next(ref Xoshiro256 rng, int row) =>
        (int)Draw(ref rng, _means[row], _constants.AsSpan(row * Stride, Stride));

    private static double Draw(ref Xoshiro256 rng, double lam, ReadOnlySpan<double> c)
    {
        if (lam <= 0)
        {
            return 0;
        }
        if (lam < InversionBelow)
        {
            // Inversion by sequential search: k is the least value whose CDF reaches u. The summed CDF can stop a few
            // ulps short of 1, below the largest u; the search then ends where the terms stop adding (k near the
            // tail's end), not at an arbitrary cap far beyond it.
            var u = rng.NextDouble();
            var p = c[0];
            var f = p;
            var k = 0;
            while (u > f)
            {
                k++;
                p *= lam / k;
                var next = f + p;
                if (next == f)
                {
                    break;
                }
                f = next;
            }
            return k;
        }
        double logLam = c[0],
            b = c[1],
            a = c[2],
            logInvAlpha = c[3],
            vr = c[4];
        while (true)
        {
            var u = rng.NextDouble() - 0.5;
            var v = rng.NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((((2 * a / us) + b) * u) + lam + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }
            if (
                Math.Log(v) + logInvAlpha - Math.Log((a / (us * us)) + b)
                <= -lam + (k * logLam) - SpecialFunctions.GammaLn(k + 1)
            )
            {
                return k;
            }
        }
    }
}
