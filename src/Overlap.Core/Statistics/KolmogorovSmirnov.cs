namespace Overlap.Core.Statistics;

/// <summary>
/// The two-sample Kolmogorov–Smirnov test, two-sided, as <c>scipy.stats.ks_2samp(a, b)</c> with
/// <c>method='auto'</c> (scipy 1.10): the exact p-value when both samples have at most 10,000 values
/// (and D is then rounded to the lattice value h/lcm(n1, n2) as scipy does), else — or when the exact
/// computation fails — the asymptotic p-value <c>kstwo.sf(D, round(n1·n2/(n1+n2)))</c>.
/// </summary>
internal static class KolmogorovSmirnov
{
    /// <summary>scipy's <c>MAX_AUTO_N</c>: above this sample size <c>auto</c> goes asymptotic.</summary>
    public const int MaxExactN = 10000;

    /// <summary>
    /// D = sup |F_a − F_b| and its two-sided p-value. Both inputs must be sorted ascending, free of NaN and
    /// non-empty (scipy raises on an empty sample). O(n1 + n2), no allocation.
    /// </summary>
    public static TestResult TwoSample(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            throw new ArgumentException("both samples must hold at least one value");
        }
        var d = Statistic(a, b);
        int n1 = a.Length,
            n2 = b.Length;
        if (Math.Max(n1, n2) <= MaxExactN)
        {
            var g = Gcd(n1, n2);
            var lcm = (long)(n1 / g) * n2;
            var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
            var rounded = (double)h / lcm;
            if (h == 0)
            {
                return new TestResult(rounded, 1.0, true);
            }
            var p = n1 == n2 ? ProbOutsideSquare(n1, (int)h) : OuterProbInside(n1, n2, g, h);
            if (p is >= 0 and <= 1)
            {
                return new TestResult(rounded, p, true);
            }
        }
        double m = Math.Max(n1, n2),
            n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var pAsymptotic = KolmogorovDistribution.Sf((int)Math.Round(en, MidpointRounding.ToEven), d);
        return new TestResult(d, Math.Clamp(pAsymptotic, 0, 1), false);
    }

    /// <summary>The statistic alone: the largest gap between the two empirical CDFs, by one merge.</summary>
    public static double Statistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length,
            n2 = b.Length;
        int i = 0,
            j = 0;
        double max = 0,
            min = 0;
        while (i < n1 || j < n2)
        {
            var v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= v)
            {
                i++;
            }
            while (j < n2 && b[j] <= v)
            {
                j++;
            }
            var diff = ((double)i / n1) - ((double)j / n2);
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }
        return Math.Clamp(Math.Max(-min, max), 0, 1);
    }

    /// <summary>scipy's <c>_compute_prob_outside_square</c>: P(D ≥ h/n) for two samples of n.</summary>
    private static double ProbOutsideSquare(int n, int h)
    {
        var p = 0.0;
        var k = n / h;
        while (k >= 0)
        {
            var p1 = 1.0;
            for (var j = 0; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /// <summary>scipy's <c>_compute_outer_prob_inside_method</c> (Hodges; Viehmann's recursion for 1 − p).</summary>
    private static double OuterProbInside(int m, int n, int g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }
        long mg = m / g,
            ng = n / g;
        var minj = 0;
        var maxj = (int)Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min((2 * maxj) + 2, n + 1);
        var buffer = new double[lenA];
        buffer.AsSpan().Fill(1.0);
        buffer.AsSpan(minj, maxj - minj).Clear();
        for (var i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = (int)Math.Max(Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = (int)Math.Min(Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }
            var val = minj == 0 ? 0.0 : 1.0;
            for (var jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = ((buffer[jj + minj - lastminj] * i) + (val * j)) / (i + j);
                buffer[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                buffer.AsSpan(maxj - minj, Math.Min(lastlen - curlen, lenA - (maxj - minj))).Fill(1.0);
            }
        }
        return buffer[maxj - minj - 1];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
