using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Overlap.Core.Data;
using Overlap.Core.Drift;

namespace Overlap.Benchmarks;

/// <summary>
/// Drift on a reference and a current table of 5 numeric and 5 categorical columns (the current one shifted):
/// the whole analysis, the sort of one numeric column (radix, against Array.Sort as the baseline), and reading
/// the reference from CSV.
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks : SizedBenchmark
{
    private Table _reference = null!;
    private Table _current = null!;
    private double[] _buffer = [];
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = NewRandom();
        (_reference, var csv) = Make(random, 0);
        (_current, _) = Make(random, 0.15);
        _csv = Encoding.UTF8.GetBytes(csv);
        _buffer = new double[Rows];
    }

    [Benchmark]
    public int Analyze() => DriftAnalyzer.Analyze(_reference, _current, new DriftOptions()).Columns.Count(c => c.Drift);

    [Benchmark]
    public int SortColumnRadix() => ((NumericColumn)_reference.Columns[0]).SortPresentValuesInto(_buffer);

    [Benchmark(Baseline = true)]
    public int SortColumnArraySort()
    {
        var values = ((NumericColumn)_reference.Columns[0]).Values;
        values.CopyTo(_buffer);
        Array.Sort(_buffer, 0, values.Length);
        return values.Length;
    }

    [Benchmark]
    public int ReadCsv() =>
        TableReader
            .Read(new MemoryStream(_csv), DataFormat.Csv, new TableReadOptions { Source = "reference.csv" })
            .RowCount;

    private (Table Table, string Csv) Make(Random random, double shift)
    {
        var columns = new List<Column>();
        var numbers = new double[5][];
        var codes = new int[5][];
        for (var j = 0; j < 5; j++)
        {
            numbers[j] = new double[Rows];
            codes[j] = new int[Rows];
            for (var i = 0; i < Rows; i++)
            {
                numbers[j][i] = Math.Round(shift * j + (random.NextDouble() * 2 - 1) * (1 + 0.1 * j), 4);
                codes[j][i] = (int)Math.Floor(Math.Pow(random.NextDouble(), 1 + shift * j) * (4 + j));
            }
            columns.Add(new NumericColumn($"num{j}", numbers[j], Rows));
        }
        for (var j = 0; j < 5; j++)
        {
            columns.Add(
                new CategoricalColumn($"cat{j}", codes[j], Rows, [.. Enumerable.Range(0, 4 + j).Select(k => $"v{k}")])
            );
        }
        var csv = new StringBuilder("num0,num1,num2,num3,num4,cat0,cat1,cat2,cat3,cat4\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.AppendJoin(',', numbers.Select(n => n[i].ToString("R", CultureInfo.InvariantCulture)))
                .Append(',')
                .AppendJoin(',', codes.Select(c => $"v{c[i]}"))
                .Append('\n');
        }
        return (new Table(columns, Rows), csv.ToString());
    }
}
