using System.Globalization;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Tests.Evaluation;

/// <summary>
/// The trivial baseline of every evaluation against numpy, scikit-learn and statsmodels (DescrStatsW.zconfint_mean on
/// the paired per-example differences), from Fixtures/baseline/make_trivial_baseline_fixtures.py.
/// </summary>
public sealed class TrivialBaselineTests
{
    private static readonly JsonElement Fixtures = JsonDocument
        .Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "baseline", "trivial_baseline.json"))
        )
        .RootElement;

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Fixtures.GetProperty("cases").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_TrivialBaseline_MatchesStatsmodels(int index)
    {
        var c = Fixtures.GetProperty("cases")[index];
        var task = c.GetProperty("task").GetString()!;
        var yaml = new StringBuilder($"feature: t\ntask: {task}\ncolumns: {{ label: y, prediction: d }}\n");
        if (task == "binary")
        {
            yaml.Append("labels: { positive: '1', negative: '0' }\n");
        }
        if (task == "multiclass")
        {
            yaml.Append("labels: { classes: [a, b, c] }\n");
        }
        if (c.GetProperty("costs") is { ValueKind: JsonValueKind.Array } costs)
        {
            yaml.Append(
                CultureInfo.InvariantCulture,
                $"costs: {{ false_positive: {costs[0].GetDouble()}, false_negative: {costs[1].GetDouble()} }}\n"
            );
        }
        var csv = new StringBuilder("y,d\n");
        var labels = c.GetProperty("labels").EnumerateArray().ToList();
        var predictions = c.GetProperty("predictions").EnumerateArray().ToList();
        for (var i = 0; i < labels.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Text(labels[i])},{Text(predictions[i])}\n");
        }
        var contract = ContractParser.Parse(yaml.ToString(), "overlap.yaml");
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "data.csv")
        );
        var trivial = Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 50 }).TrivialBaseline!;

        Assert.Equal(c.GetProperty("metric").GetString(), trivial.Metric);
        Close(c.GetProperty("baseline").GetDouble(), trivial.Baseline);
        Close(c.GetProperty("model").GetDouble(), trivial.Model);
        Close(c.GetProperty("ci_low").GetDouble(), trivial.CiLow!.Value);
        Close(c.GetProperty("ci_high").GetDouble(), trivial.CiHigh!.Value);
    }

    /// <summary>Equal to nine significant digits: the sums run in a different order from numpy's.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{actual} vs {expected}");

    private static string Text(JsonElement e) =>
        e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : e.GetDouble().ToString("R", CultureInfo.InvariantCulture);
}
