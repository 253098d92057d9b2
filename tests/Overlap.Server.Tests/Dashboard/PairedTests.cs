using System.Globalization;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Server.Evaluations;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>The paired comparison a run from <c>overlap eval --baseline</c> carries, as the evaluations page shows it.</summary>
public sealed class PairedTests
{
    private const string Contract = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { id: id, label: y, score: s }
        threshold: 0.5
        requirements:
          - { metric: recall, min: 0.6 }
        """;

    private static Table Read(Contract contract, string csv, bool baseline) =>
        TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            baseline
                ? Evaluator.BaselineReadOptions(contract, "baseline.csv")
                : Evaluator.ReadOptions(contract, "data.csv")
        );

    [Fact]
    public async Task Shows_each_paired_difference_with_its_test_and_the_runs_own_words()
    {
        var contract = ContractParser.Parse(Contract);
        var candidate = new StringBuilder("id,y,s\n");
        var baseline = new StringBuilder("id,y,s\n");
        for (var i = 0; i < 300; i++)
        {
            var spam = i % 3 == 0;
            var y = spam ? "spam" : "ham";
            // The candidate catches every spam email; the baseline misses one in three.
            candidate.Append(CultureInfo.InvariantCulture, $"m{i},{y},{(spam ? 0.9 : 0.2)}\n");
            baseline.Append(CultureInfo.InvariantCulture, $"m{i},{y},{(spam ? (i % 9 == 0 ? 0.4 : 0.8) : 0.3)}\n");
        }
        var report = Evaluator.Evaluate(
            contract,
            Read(contract, candidate.ToString(), false),
            new EvaluationOptions { Resamples = 200, Baseline = Read(contract, baseline.ToString(), true) }
        );
        var paired = report.Comparison!;

        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var view = context.Render<Paired>(p =>
            p.Add(c => c.Run, "model <v2>").Add(c => c.Report, paired).Add(c => c.Confidence, 0.95)
        );

        Assert.Contains(
            "Paired comparison carried by model <v2> (300 examples scored by both models)",
            view.Find("[data-testid=paired] .mud-typography-subtitle1").TextContent,
            StringComparison.Ordinal
        );
        var rows = view.FindAll("[data-testid=paired-row]");
        Assert.Equal(paired.Differences.Select(d => d.Metric), rows.Select(r => r.GetAttribute("data-metric")));
        var accuracy = paired.Differences.Single(d => d.Metric == "accuracy");
        var cells = view.Find("[data-testid=paired-row][data-metric=accuracy]")
            .QuerySelectorAll("td")
            .Select(c => c.TextContent)
            .ToList();
        Assert.Equal(accuracy.Baseline.ToString("0.000", CultureInfo.InvariantCulture), cells[1]);
        Assert.Equal(accuracy.Candidate.ToString("0.000", CultureInfo.InvariantCulture), cells[2]);
        Assert.StartsWith(accuracy.Method.Replace('_', ' ') + ", p ", cells[4], StringComparison.Ordinal);
        Assert.Equal("real: better", cells[5]);
        var text = view.Find("[data-testid=paired]").TextContent;
        Assert.All(paired.Statements, s => Assert.Contains(s, text, StringComparison.Ordinal));
        Assert.Contains("at 95% confidence", text, StringComparison.Ordinal);

        // A contract's 0.9999 is said as it was written, not rounded to "100%".
        var strict = context.Render<Paired>(p =>
            p.Add(c => c.Run, "model <v2>").Add(c => c.Report, paired).Add(c => c.Confidence, 0.9999)
        );
        Assert.Contains(
            "at 99.99% confidence",
            strict.Find("[data-testid=paired]").TextContent,
            StringComparison.Ordinal
        );
    }
}
