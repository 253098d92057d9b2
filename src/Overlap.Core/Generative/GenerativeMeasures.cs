using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Generative;

/// <summary>
/// Every generative metric of a group of cases: rates (acceptable, each check, each criterion) with their Wilson
/// interval; the 1–5 criteria's mean grade, tokens per output, cost per 1,000 outputs and latency percentiles with
/// the seeded percentile bootstrap (<see cref="ReplicateRunner"/>, the engines' one), each over the cases that have
/// the value. An undefined figure carries its reason in the contract's words.
/// </summary>
internal sealed class GenerativeMeasures(
    GenerativeCases cases,
    GenerativeSpec spec,
    double[]? tokens,
    double[]? cost,
    double[]? latency,
    Contract contract,
    EvaluationOptions options
)
{
    public Dictionary<string, MetricValue> Metrics(int[] rows)
    {
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        void Rate(string name, Func<int, bool?> passed)
        {
            long successes = 0,
                trials = 0;
            foreach (var r in rows)
            {
                if (passed(r) is { } p)
                {
                    trials++;
                    successes += p ? 1 : 0;
                }
            }
            Add(name, MetricIntervals.Proportion(successes, trials, contract.Confidence));
        }
        void Add(string name, MetricEstimate m) =>
            metrics[name] = new MetricValue(m.Value, m.Interval.Low, m.Interval.High, m.N)
            {
                Reason = double.IsNaN(m.Value) ? Phrasing.Undefined(name, contract.Words) : null,
            };

        Rate("acceptable_rate", r => cases.Acceptable[r]);
        foreach (var check in spec.Checks)
        {
            Rate($"check.{check.Name}.pass_rate", r => cases.Checks[check.Name][r].Passed);
        }
        foreach (var criterion in spec.Rubric)
        {
            var grades = cases.Grades[criterion.Name];
            Rate($"rubric.{criterion.Name}.pass_rate", r => grades[r] is { } g ? criterion.Passes(g) : null);
            if (criterion.Scale == RubricScale.OneToFive)
            {
                Add(
                    $"rubric.{criterion.Name}.mean",
                    Bootstrapped(Present(rows, r => grades[r] is { } g ? g : double.NaN), Mean)
                );
            }
        }
        if (tokens is not null)
        {
            Add("tokens_per_output", Bootstrapped(Present(rows, r => tokens[r]), Mean));
        }
        if (cost is not null)
        {
            Add("cost_per_1000", Bootstrapped(Present(rows, r => cost[r] * 1000), Mean));
        }
        if (latency is not null)
        {
            var values = Present(rows, r => latency[r]);
            Array.Sort(values);
            foreach (var m in MetricCatalog.All.Where(m => m.LatencyQuantile is not null))
            {
                var q = m.LatencyQuantile!.Value;
                Add(m.Name, Bootstrapped(values, (v, counts) => Quantile(v, counts, q)));
            }
        }
        return metrics;
    }

    private static double[] Present(int[] rows, Func<int, double> value) =>
        [.. rows.Select(value).Where(v => !double.IsNaN(v))];

    /// <summary>The statistic on all values, with the percentile interval of its bootstrap replicates.</summary>
    private MetricEstimate Bootstrapped(double[] values, Func<double[], ReadOnlySpan<int>, double> statistic)
    {
        if (values.Length == 0)
        {
            return new MetricEstimate(double.NaN, Interval.Unknown, 0);
        }
        var ones = new int[values.Length];
        Array.Fill(ones, 1);
        var point = statistic(values, ones);
        var replicates = ReplicateRunner.Run(
            values.Length,
            1,
            1,
            options.Resamples,
            options.Seed,
            options.MaxDegreeOfParallelism,
            () => (counts, metrics) => metrics[0] = statistic(values, counts)
        );
        return MetricIntervals.Bootstrapped(point, replicates, contract.Confidence, values.Length);
    }

    /// <summary>The mean of values drawn <paramref name="counts"/> times each.</summary>
    internal static double Mean(double[] values, ReadOnlySpan<int> counts)
    {
        double sum = 0,
            n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i] * counts[i];
            n += counts[i];
        }
        return n > 0 ? sum / n : double.NaN;
    }

    /// <summary>numpy's linear quantile of sorted values drawn <paramref name="counts"/> times each.</summary>
    internal static double Quantile(double[] sorted, ReadOnlySpan<int> counts, double q)
    {
        long n = 0;
        foreach (var c in counts)
        {
            n += c;
        }
        if (n == 0)
        {
            return double.NaN;
        }
        var pos = q * (n - 1);
        var lo = (long)Math.Floor(pos);
        var (a, b) = (At(sorted, counts, lo), At(sorted, counts, Math.Min(lo + 1, n - 1)));
        return a + ((b - a) * (pos - lo));
    }

    // The k-th (0-based) value of the expanded sorted sample.
    private static double At(double[] sorted, ReadOnlySpan<int> counts, long k)
    {
        long seen = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            seen += counts[i];
            if (k < seen)
            {
                return sorted[i];
            }
        }
        return sorted[^1];
    }
}
