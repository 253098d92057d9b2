namespace Overlap.Core.Metrics;

/// <summary>
/// The examples sorted once by absolute error (ties by row), with each row's error terms precomputed, so that
/// a bootstrap replicate is two sequential scans with no sorting: one for the sums, one that walks the
/// cumulative weights up to each group's median absolute error.
/// </summary>
internal sealed class SortedRegressionData
{
    // Per accumulator: the weighted sums, the target range, then the median walk.
    public const int Weight = 0,
        AbsSum = 1,
        SquaredSum = 2,
        PercentSum = 3,
        CentredSum = 4,
        CentredSquaredSum = 5,
        TargetMin = 6,
        TargetMax = 7,
        LowPosition = 8,
        HighPosition = 9,
        Cumulative = 10,
        LowValue = 11,
        HighValue = 12;

    public const int Stride = 13;

    /// <summary>float64 machine epsilon, sklearn's floor for |y| in the percentage error.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    private SortedRegressionData(int length, int segmentColumns)
    {
        Length = length;
        Order = new int[length];
        AbsError = new double[length];
        SquaredError = new double[length];
        PercentError = new double[length];
        Target = new double[length];
        Codes = new int[segmentColumns][];
    }

    public int Length { get; }

    /// <summary>Sorted position to original row.</summary>
    public int[] Order { get; }

    /// <summary>|y − ŷ|, ascending.</summary>
    public double[] AbsError { get; }

    /// <summary>(y − ŷ)² per sorted position.</summary>
    public double[] SquaredError { get; }

    /// <summary>|y − ŷ| / max(|y|, eps) per sorted position.</summary>
    public double[] PercentError { get; }

    /// <summary>y per sorted position.</summary>
    public double[] Target { get; }

    /// <summary>Per segment column, the codes in sorted order.</summary>
    public int[][] Codes { get; }

    /// <summary>Accumulator index of code 0 of each segment column (accumulator 0 is overall).</summary>
    public int[] Offsets { get; private set; } = [];

    public int AccumulatorCount { get; private set; }

    /// <summary>
    /// Per accumulator, what its targets are centred on before the sums of squares: the group's mean, or its
    /// one value when all its targets are equal, so that a constant group's spread is exactly 0.
    /// </summary>
    public double[] Center { get; private set; } = [];

    public static SortedRegressionData Create(RegressionSample sample)
    {
        var n = sample.Count;
        var segments = sample.Segments;
        var d = new SortedRegressionData(n, segments.Count);
        var targets = sample.Targets.Span;
        var predictions = sample.Predictions.Span;
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = Math.Abs(predictions[i] - targets[i]);
            d.Order[i] = i;
        }
        RowOrder.Sort(keys, d.Order);

        for (var i = 0; i < n; i++)
        {
            var row = d.Order[i];
            var y = targets[row];
            var error = predictions[row] - y;
            d.AbsError[i] = keys[i];
            d.SquaredError[i] = error * error;
            d.PercentError[i] = keys[i] / Math.Max(Math.Abs(y), Epsilon);
            d.Target[i] = y;
        }
        for (var c = 0; c < segments.Count; c++)
        {
            var source = segments[c].Codes.Span;
            var codes = new int[n];
            for (var i = 0; i < n; i++)
            {
                codes[i] = source[d.Order[i]];
            }
            d.Codes[c] = codes;
        }
        d.Offsets = SegmentColumns.Offsets(segments, out var accumulators);
        d.AccumulatorCount = accumulators;

        // Centre on the unweighted groups: the sums pass with centres 0 gives each group's sum and range.
        d.Center = new double[accumulators];
        var ones = new int[n];
        ones.AsSpan().Fill(1);
        var state = new double[accumulators * Stride];
        d.Sums(ones, state);
        for (var j = 0; j < accumulators; j++)
        {
            var a = state.AsSpan(j * Stride, Stride);
            d.Center[j] = a[TargetMin] == a[TargetMax] ? a[TargetMin] : a[CentredSum] / Math.Max(a[Weight], 1);
        }
        return d;
    }

    /// <summary>
    /// Fills <paramref name="state"/> (AccumulatorCount × Stride) from a weighted scan and the median walk;
    /// a weight of w counts the row w times.
    /// </summary>
    public void Run(ReadOnlySpan<int> weights, Span<double> state)
    {
        Sums(weights, state);
        Medians(weights, state);
    }

    /// <summary>
    /// The metrics of one accumulator in <see cref="RegressionMetricNames.All"/> order, all NaN for an empty
    /// group; r2 is NaN below two examples and, for a constant target, 1 when every prediction is exact
    /// and 0 otherwise (sklearn's <c>force_finite</c>).
    /// </summary>
    public static void Extract(ReadOnlySpan<double> a, Span<double> into)
    {
        var w = a[Weight];
        if (w <= 0)
        {
            into.Fill(double.NaN);
            return;
        }
        into[0] = a[AbsSum] / w;
        into[1] = Math.Sqrt(a[SquaredSum] / w);
        into[2] = R2(a);
        into[3] = a[PercentSum] / w;
        into[4] = (a[LowValue] + a[HighValue]) / 2;
    }

    private static double R2(ReadOnlySpan<double> a)
    {
        var w = a[Weight];
        if (w < 2)
        {
            return double.NaN;
        }
        if (a[TargetMin] == a[TargetMax])
        {
            return a[SquaredSum] == 0 ? 1 : 0;
        }
        var total = a[CentredSquaredSum] - (a[CentredSum] * a[CentredSum] / w);
        return 1 - (a[SquaredSum] / total);
    }

    private void Sums(ReadOnlySpan<int> weights, Span<double> state)
    {
        if (weights.Length != Length)
        {
            throw new ArgumentException("One weight per example is needed.", nameof(weights));
        }
        state.Clear();
        for (var j = 0; j < AccumulatorCount; j++)
        {
            state[(j * Stride) + TargetMin] = double.PositiveInfinity;
            state[(j * Stride) + TargetMax] = double.NegativeInfinity;
        }
        var center = Center;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (w == 0)
            {
                continue;
            }
            double dw = w,
                ae = AbsError[i],
                se = SquaredError[i],
                pe = PercentError[i],
                y = Target[i];
            Add(state, dw, ae, se, pe, y, y - center[0]);
            for (var c = 0; c < Codes.Length; c++)
            {
                var code = Codes[c][i];
                if (code >= 0)
                {
                    var j = Offsets[c] + code;
                    Add(state.Slice(j * Stride, Stride), dw, ae, se, pe, y, y - center[j]);
                }
            }
        }
    }

    /// <summary>
    /// Walks the rows in ascending absolute error, each accumulator counting its weight until it passes
    /// positions ⌊(W−1)/2⌋ and ⌊W/2⌋ of its expanded sample: numpy's median of the repeated rows.
    /// Stops as soon as every group has its median.
    /// </summary>
    private void Medians(ReadOnlySpan<int> weights, Span<double> state)
    {
        var open = 0;
        for (var j = 0; j < AccumulatorCount; j++)
        {
            var a = state.Slice(j * Stride, Stride);
            var w = (long)a[Weight];
            a[LowPosition] = (w - 1) / 2;
            a[HighPosition] = w / 2;
            a[LowValue] = double.NaN;
            a[HighValue] = double.NaN;
            open += w > 0 ? 1 : 0;
        }
        for (var i = 0; i < weights.Length && open > 0; i++)
        {
            var w = weights[i];
            if (w == 0)
            {
                continue;
            }
            var v = AbsError[i];
            open -= Step(state, w, v);
            for (var c = 0; c < Codes.Length; c++)
            {
                var code = Codes[c][i];
                if (code >= 0)
                {
                    open -= Step(state.Slice((Offsets[c] + code) * Stride, Stride), w, v);
                }
            }
        }
    }

    /// <summary>Adds w copies of a row at value v to the walk; 1 when the group's median is now complete.</summary>
    private static int Step(Span<double> a, int w, double v)
    {
        var before = a[Cumulative];
        if (before > a[HighPosition])
        {
            return 0;
        }
        var after = before + w;
        a[Cumulative] = after;
        if (before <= a[LowPosition] && after > a[LowPosition])
        {
            a[LowValue] = v;
        }
        if (after > a[HighPosition])
        {
            a[HighValue] = v;
            return 1;
        }
        return 0;
    }

    private static void Add(Span<double> a, double w, double ae, double se, double pe, double y, double centred)
    {
        a[Weight] += w;
        a[AbsSum] += w * ae;
        a[SquaredSum] += w * se;
        a[PercentSum] += w * pe;
        a[CentredSum] += w * centred;
        a[CentredSquaredSum] += w * centred * centred;
        if (y < a[TargetMin])
        {
            a[TargetMin] = y;
        }
        if (y > a[TargetMax])
        {
            a[TargetMax] = y;
        }
    }
}
