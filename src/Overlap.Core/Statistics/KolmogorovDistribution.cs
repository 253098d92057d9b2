namespace Overlap.Core.Statistics;

/// <summary>
/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, as
/// <c>scipy.stats.kstwo.sf(d, n)</c> (scipy 1.10 <c>_ksstats._kolmogn</c> with <c>cdf=False</c>): the same
/// branches (Ruben–Gambino ends, 2·Smirnov in the tail, Durbin matrix, Pomeranz, Pelz–Good). The one-sided
/// Smirnov tail is the Birnbaum–Tingey sum in plain doubles with log-space terms, which agrees with scipy's
/// double-double version to far better than 1e-9 relative.
/// </summary>
internal static class KolmogorovDistribution
{
    private const double E128 = 3.402823669209385e38; // 2^128
    private const double Em128 = 1 / E128;
    private const double PiSquared = Math.PI * Math.PI;
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2,
        6.4102564102564102564e-3,
        -1.9175269175269175269e-3,
        8.4175084175084175084e-4,
        -5.952380952380952381e-4,
        7.9365079365079365079e-4,
        -2.7777777777777777778e-3,
        8.3333333333333333333e-2,
    ];

    /// <summary>P(D_n &gt; x) for a sample of n.</summary>
    public static double Sf(int n, double x)
    {
        if (n <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x >= 1)
        {
            return 0;
        }
        if (x <= 0)
        {
            return 1;
        }
        var t = n * x;
        if (t <= 1)
        {
            if (t <= 0.5)
            {
                return 1;
            }
            double prob;
            if (n <= 140)
            {
                prob = 1;
                for (var i = 1; i <= n; i++)
                {
                    prob *= i * (1.0 / n) * ((2 * t) - 1);
                }
            }
            else
            {
                prob = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            }
            return Clip(1 - prob);
        }
        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1 - x, n));
        }
        if (x >= 0.5)
        {
            return Clip(2 * Smirnov(n, x));
        }
        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                return Clip(1 - Clip(DurbinCdf(n, x)));
            }
            if (nxSquared <= 4)
            {
                return Clip(1 - Clip(PomeranzCdf(n, x)));
            }
            return Clip(2 * Smirnov(n, x));
        }
        if (nxSquared >= 370)
        {
            return 0;
        }
        if (nxSquared >= 2.2)
        {
            return Clip(2 * Smirnov(n, x));
        }
        var cdf = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinCdf(n, x) : PelzGoodCdf(n, x);
        return Clip(1 - cdf);
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);

    private static double LogFactorialOverPower(int n)
    {
        var rn = 1.0 / n;
        var poly = 0.0;
        foreach (var c in StirlingCoefficients)
        {
            poly = (poly * (rn / n)) + c;
        }
        return (Math.Log(n) / 2) - n + (Log2Pi / 2) + (rn * poly);
    }

    /// <summary>One-sided P(D+_n ≥ e), the Birnbaum–Tingey sum (scipy.special.smirnov).</summary>
    internal static double Smirnov(int n, double e)
    {
        if (e <= 0)
        {
            return 1;
        }
        if (e >= 1)
        {
            return 0;
        }
        var last = (int)Math.Floor(n * (1 - e));
        var logNFactorial = LogGamma(n + 1.0);
        var sum = 0.0;
        for (var v = 0; v <= last; v++)
        {
            var evn = e + ((double)v / n);
            var omevn = 1 - evn;
            if (omevn <= 0)
            {
                continue;
            }
            var logTerm =
                logNFactorial
                - LogGamma(v + 1.0)
                - LogGamma(n - v + 1.0)
                + ((v - 1) * Math.Log(evn))
                + ((n - v) * Math.Log(omevn));
            if (logTerm > -745)
            {
                sum += Math.Exp(logTerm);
            }
        }
        return Clip(sum * e);
    }

    private static double LogGamma(double x) => MathNet.Numerics.SpecialFunctions.GammaLn(x);

    /// <summary>P(D_n ≤ d) by the Durbin matrix (Marsaglia–Tsang–Wang).</summary>
    private static double DurbinCdf(int n, double d)
    {
        var nd = n * d;
        if (d >= 1)
        {
            return 1;
        }
        if (nd <= 0.5)
        {
            return 0;
        }
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;
        var hm = new double[m, m];
        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * fac;
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                hm[r, i] = w[r - i + 1];
            }
        }
        for (var r = 0; r < m; r++)
        {
            hm[r, 0] = v[r];
        }
        for (var c = 0; c < m; c++)
        {
            hm[m - 1, c] = v[m - 1 - c];
        }
        var power = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            power[i, i] = 1;
        }
        var nn = n;
        var exponent = 0;
        var hExponent = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                power = Multiply(power, hm);
                exponent += hExponent;
            }
            hm = Multiply(hm, hm);
            hExponent *= 2;
            if (Math.Abs(hm[k - 1, k - 1]) > E128)
            {
                for (var i = 0; i < m; i++)
                {
                    for (var j = 0; j < m; j++)
                    {
                        hm[i, j] /= E128;
                    }
                }
                hExponent += 128;
            }
            nn /= 2;
        }
        var p = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Em128)
            {
                p *= E128;
                exponent -= 128;
            }
        }
        if (exponent != 0)
        {
            p = Math.ScaleB(p, exponent);
        }
        return p;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var result = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var l = 0; l < m; l++)
            {
                var ail = a[i, l];
                if (ail == 0)
                {
                    continue;
                }
                for (var j = 0; j < m; j++)
                {
                    result[i, j] += ail * b[l, j];
                }
            }
        }
        return result;
    }

    private static (int J1, int J2) PomeranzBounds(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1,
            j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }
        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>P(D_n ≤ x) by the Pomeranz recursion.</summary>
    private static double PomeranzCdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
        var exponent = 0;
        double gOverN = g / n,
            twoGOverN = 2 * g / n,
            oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var m = 1; m < npwrs; m++)
        {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0,
            v1s = 0;
        var (j1, j2) = PomeranzBounds(0, n, ll, ceilf, roundf);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, j2) = PomeranzBounds(i, n, ll, ceilf, roundf);
            var pwrs = i == 1 || i == (2 * n) + 1 ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            var ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // conv = convolve(V0[k1 - v0s : k1 - v0s + ln2], pwrs[:ln2]); V1[:len] = conv[j1 - k1 : j2 - k1 + 1]
                var offset = k1 - v0s;
                var start = j1 - k1;
                var length = j2 - j1 + 1;
                var la = Math.Min(ln2, v0.Length - offset);
                var lb = Math.Min(ln2, pwrs.Length);
                var max = 0.0;
                for (var r = 0; r < length; r++)
                {
                    var index = start + r;
                    var s = 0.0;
                    for (var a = Math.Max(0, index - lb + 1); a <= Math.Min(index, la - 1); a++)
                    {
                        s += v0[offset + a] * pwrs[index - a];
                    }
                    v1[r] = s;
                    max = Math.Max(max, s);
                }
                if (max > 0 && max < Em128)
                {
                    for (var r = 0; r < v1.Length; r++)
                    {
                        v1[r] *= E128;
                    }
                    exponent -= 128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        var answer = v1[n - v1s];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > E128)
            {
                answer *= Em128;
                exponent += 128;
            }
            answer *= m;
        }
        if (exponent != 0)
        {
            answer = Math.ScaleB(answer, exponent);
        }
        return answer;
    }

    /// <summary>P(D_n ≤ x) by the Pelz–Good asymptotic series.</summary>
    private static double PelzGoodCdf(int n, double x)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (x >= 1)
        {
            return 1;
        }
        var z = Math.Sqrt(n) * x;
        double z2 = z * z,
            z3 = z2 * z,
            z4 = z2 * z2,
            z6 = z4 * z2;
        var qlog = -PiSquared / 8 / z2;
        if (qlog < -708)
        {
            return 0;
        }
        var q = Math.Exp(qlog);
        var k1a = -z2;
        var k1b = PiSquared / 4;
        var k2a = (6 * z6) + (2 * z4);
        var k2b = ((2 * z4) - (5 * z2)) * PiSquared / 4;
        var k2c = PiSquared * PiSquared * (1 - (2 * z2)) / 16;
        var k3d = PiSquared * PiSquared * PiSquared * (5 - (30 * z2)) / 64;
        var k3c = PiSquared * PiSquared * ((-60 * z2) + (212 * z4)) / 16;
        var k3b = PiSquared * ((135 * z4) - (96 * z6)) / 4;
        var k3a = (-30 * z6) - (90 * Math.Pow(z, 8));
        Span<double> k = stackalloc double[4];
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var kk = maxk; kk > 0; kk--)
        {
            double m = (2 * kk) - 1;
            double m2 = m * m,
                m4 = m2 * m2,
                m6 = m4 * m2;
            var qpower = Math.Pow(q, 8 * kk);
            k[0] = (k[0] * qpower) + 1.0;
            k[1] = (k[1] * qpower) + k1a + (k1b * m2);
            k[2] = (k[2] * qpower) + k2a + (k2b * m2) + (k2c * m4);
            k[3] = (k[3] * qpower) + k3a + (k3b * m2) + (k3c * m4) + (k3d * m6);
        }
        for (var i = 0; i < 4; i++)
        {
            k[i] *= q * Sqrt2Pi;
        }
        k[0] /= z;
        k[1] /= 6 * z4;
        k[2] /= 72 * Math.Pow(z, 7);
        k[3] /= 6480 * Math.Pow(z, 10);
        var q2 = Math.Exp(-PiSquared / 2 / z2);
        double k2extra = 0,
            k3extra = 0;
        var sqrt3z = Math.Sqrt(3) * z;
        for (var kk = maxk; kk > 0; kk--)
        {
            double ks2 = (double)kk * kk;
            var qp = Math.Pow(q2, ks2);
            k2extra += ks2 * qp;
            var kspi = Math.PI * kk;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
        }
        k[2] += k2extra * PiSquared * Sqrt2Pi / (-36 * z3);
        k[3] += k3extra * PiSquared * Sqrt2Pi / (216 * z6);
        double sum = 0;
        for (var i = 0; i < 4; i++)
        {
            sum += k[i] / Math.Pow(n, i / 2.0);
        }
        return sum;
    }
}
