using System.Text;
using BenchmarkDotNet.Attributes;
using Overlap.Core.Data;
using Overlap.Core.Metrics;

namespace Overlap.Benchmarks;

/// <summary>
/// The binary engine on synthetic scored examples: the point pass, a bootstrap of 100 resamples (scale by 10
/// for the default 1,000), and reading the same rows from CSV.
/// </summary>
[MemoryDiagnoser]
public class EvalBenchmarks : SizedBenchmark
{
    private BinarySample _sample = null!;
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = NewRandom();
        var scores = new double[Rows];
        var labels = new byte[Rows];
        var channel = new int[Rows];
        var region = new int[Rows];
        var csv = new StringBuilder("score,label,channel,region\n");
        for (var i = 0; i < Rows; i++)
        {
            scores[i] = Math.Round(random.NextDouble(), 6);
            labels[i] = (byte)(random.NextDouble() < scores[i] * 0.3 ? 1 : 0);
            channel[i] = random.Next(3);
            region[i] = random.Next(4);
            csv.Append(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{scores[i]},{labels[i]},c{channel[i]},r{region[i]}\n"
            );
        }
        _sample = new BinarySample(
            scores,
            labels,
            default,
            [
                new SegmentColumn("channel", channel, ["c0", "c1", "c2"]),
                new SegmentColumn("region", region, ["r0", "r1", "r2", "r3"]),
            ]
        );
        _csv = Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Benchmark]
    public double PointEstimates() =>
        BinaryEvaluator.Evaluate(_sample, new BinaryOptions { Resamples = 0 }).Overall[BinaryMetricNames.RocAuc].Value;

    [Benchmark]
    public double Bootstrap100() =>
        BinaryEvaluator
            .Evaluate(_sample, new BinaryOptions { Resamples = 100 })
            .Overall[BinaryMetricNames.RocAuc]
            .Interval.Low;

    [Benchmark]
    public int ReadCsv() =>
        TableReader
            .Read(new MemoryStream(_csv), DataFormat.Csv, new TableReadOptions { Source = "bench.csv" })
            .RowCount;
}
