namespace Overlap.Core.Statistics;

/// <summary>
/// A mergeable quantile sketch with relative accuracy (DDSketch, Masson, Rim and Lee, VLDB 2019) for non-negative
/// values such as latencies: a value x lands in bucket ⌈log_γ x⌉ with γ = (1 + α)/(1 − α), and a bucket stands for
/// 2γᵏ/(γ + 1), within α of every value in it. Two sketches merge by adding bucket counts, so a month of windows
/// is the sum of their sketches, and the merge of a split is exactly the sketch of the whole.
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The default relative accuracy: half a percent.</summary>
    public const double DefaultRelativeAccuracy = 0.005;

    /// <summary>Values below this go to the zero bucket (and stand for 0).</summary>
    private const double MinIndexable = 1e-9;

    private readonly double _logGamma;
    private readonly double _gamma;
    private readonly SortedDictionary<int, long> _buckets = [];
    private long _zero;

    /// <summary>An empty sketch.</summary>
    public QuantileSketch(double relativeAccuracy = DefaultRelativeAccuracy)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), "the relative accuracy must be in (0, 1)");
        }
        RelativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _logGamma = Math.Log(_gamma);
    }

    /// <summary>The relative accuracy α of every quantile.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>How many values were added.</summary>
    public long Count { get; private set; }

    /// <summary>The smallest value added (exact); NaN when empty.</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>The largest value added (exact); NaN when empty.</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>Adds a value; NaN (not sent) is ignored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or infinite.</exception>
    public void Add(double value) => Add(value, 1);

    /// <summary>Adds <paramref name="count"/> copies of a value; NaN is ignored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or infinite, or the count is negative.</exception>
    public void Add(double value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (double.IsNaN(value) || count == 0)
        {
            return;
        }
        if (value < 0 || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a quantile sketch takes finite values ≥ 0");
        }
        if (value < MinIndexable)
        {
            _zero += count;
        }
        else
        {
            var key = Key(value);
            _buckets[key] = _buckets.GetValueOrDefault(key) + count;
        }
        Count += count;
        Min = double.IsNaN(Min) ? value : Math.Min(Min, value);
        Max = double.IsNaN(Max) ? value : Math.Max(Max, value);
    }

    /// <summary>Adds every value of <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentException">The sketches have different relative accuracies.</exception>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException(
                $"a sketch of accuracy {other.RelativeAccuracy} does not merge into one of {RelativeAccuracy}",
                nameof(other)
            );
        }
        if (other.Count == 0)
        {
            return;
        }
        // A sketch merged into itself doubles; its buckets are copied first, as they change while being read.
        IEnumerable<KeyValuePair<int, long>> buckets = ReferenceEquals(other, this) ? [.. _buckets] : other._buckets;
        foreach (var (key, count) in buckets)
        {
            _buckets[key] = _buckets.GetValueOrDefault(key) + count;
        }
        _zero += other._zero;
        Count += other.Count;
        Min = double.IsNaN(Min) ? other.Min : Math.Min(Min, other.Min);
        Max = double.IsNaN(Max) ? other.Max : Math.Max(Max, other.Max);
    }

    /// <summary>The k-th smallest value (1-based, clamped to [1, Count]) within the relative accuracy; NaN when empty.</summary>
    public double ValueAtRank(long k)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        k = Math.Clamp(k, 1, Count);
        if (k == 1)
        {
            return Min;
        }
        if (k == Count)
        {
            return Max;
        }
        if (k <= _zero)
        {
            return Math.Clamp(0, Min, Max);
        }
        var seen = _zero;
        foreach (var (key, count) in _buckets)
        {
            seen += count;
            if (seen >= k)
            {
                return Math.Clamp(2 * Math.Pow(_gamma, key) / (_gamma + 1), Min, Max);
            }
        }
        return Max;
    }

    /// <summary>The q-quantile with numpy's default linear interpolation between the order statistics; NaN when empty.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not in [0, 1] (numpy refuses it too).</exception>
    public double Quantile(double q)
    {
        if (!(q is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is in [0, 1]");
        }
        if (Count == 0)
        {
            return double.NaN;
        }
        var h = (Count - 1) * q;
        var below = (long)Math.Floor(h);
        var low = ValueAtRank(below + 1);
        var fraction = h - below;
        return fraction == 0 ? low : low + (fraction * (ValueAtRank(below + 2) - low));
    }

    /// <summary>
    /// The distribution-free interval of the q-quantile: the ranks of <see cref="QuantileInterval.OrderStatistic"/>,
    /// their values read from the sketch (so within its relative accuracy); unknown when empty. Counts beyond
    /// <see cref="int.MaxValue"/> (a merge of many busy windows) are fine.
    /// </summary>
    public Interval OrderStatisticInterval(double q, double confidence)
    {
        if (Count == 0)
        {
            return Interval.Unknown;
        }
        var n = Count;
        var alpha = 1 - confidence;
        var low = QuantileInterval.BinomialQuantile(alpha / 2, n, q);
        var high = QuantileInterval.BinomialQuantile(1 - (alpha / 2), n, q) + 1;
        return new Interval(ValueAtRank(Math.Clamp(low, 1, n)), ValueAtRank(Math.Clamp(high, 1, n)));
    }

    /// <summary>Writes the sketch: accuracy, count, min, max, the zero bucket, then each non-empty bucket's key and count.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(RelativeAccuracy);
        writer.Write(Count);
        writer.Write(Min);
        writer.Write(Max);
        writer.Write(_zero);
        writer.Write(_buckets.Count);
        foreach (var (key, count) in _buckets)
        {
            writer.Write(key);
            writer.Write(count);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static QuantileSketch Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sketch = new QuantileSketch(reader.ReadDouble())
        {
            Count = reader.ReadInt64(),
            Min = reader.ReadDouble(),
            Max = reader.ReadDouble(),
        };
        sketch._zero = reader.ReadInt64();
        for (var i = reader.ReadInt32(); i > 0; i--)
        {
            sketch._buckets[reader.ReadInt32()] = reader.ReadInt64();
        }
        return sketch;
    }

    private int Key(double value) => (int)Math.Ceiling(Math.Log(value) / _logGamma);
}
