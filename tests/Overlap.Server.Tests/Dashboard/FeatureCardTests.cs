using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>The overview's feature card, rendered by bUnit from a real evaluation.</summary>
public sealed class FeatureCardTests
{
    private const string Contract = """
        feature: spam-filter
        description: "Moves <script>alert('x')</script> & other junk mail out of the inbox."
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: y, score: s }
        threshold: 0.5
        words: { positive: spam email, negative: legitimate email, action: moved to junk, example: email }
        requirements:
          - { metric: recall, min: 0.6 }
          - { metric: false_positive_rate, max: 0.2 }
          - { metric: latency_p95_ms, max: 100 }
        """;

    /// <summary>A bUnit context with MudBlazor's services (disposed asynchronously, as they require).</summary>
    private static BunitContext Context()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    private static (FeatureHealth Health, EvaluationReport Evaluation) Health(
        IReadOnlyList<Overlap.Server.Alerts.AlertStateView> alerts
    )
    {
        var contract = ContractParser.Parse(Contract);
        var csv = new StringBuilder("y,s\n");
        for (var i = 0; i < 200; i++)
        {
            var spam = i % 2 == 0;
            csv.Append(spam ? "spam," : "ham,")
                .Append(spam ? (i % 10 == 0 ? "0.3" : "0.9") : (i % 7 == 0 ? "0.7" : "0.1"))
                .Append('\n');
        }
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "spam.csv")
        );
        var evaluation = Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 0 });
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var range = new RangeReport
        {
            Feature = contract.Feature,
            ContractVersion = 2,
            Window = "1d",
            From = start,
            To = start.AddDays(30),
            Windows = 30,
            Predictions = 12_345,
            Labelled = 200,
            Evaluation = evaluation,
            DriftTestedWindows = 0,
            DriftedWindows = 0,
            DriftedColumns = new Dictionary<string, int>(),
            Precision = RangeMonitor.Precision,
        };
        return (
            new FeatureHealth(
                contract.Feature,
                2,
                contract.Description,
                range,
                [(start, 0.8), (start.AddDays(1), null), (start.AddDays(2), 0.9)],
                "recall",
                alerts
            ),
            evaluation
        );
    }

    [Fact]
    public async Task Shows_the_verdict_and_every_judged_requirement_in_its_own_words()
    {
        await using var context = Context();
        var (health, evaluation) = Health([]);
        var card = context.Render<FeatureCard>(p => p.Add(c => c.Health, health));

        Assert.Equal(health.Verdict, card.Find("[data-testid=verdict]").TextContent.Trim());
        var judged = evaluation.Requirements.Where(r => r.Verdict != Verdict.Skipped).Select(r => r.Statement).ToList();
        Assert.Equal(2, judged.Count);
        Assert.Equal(
            judged,
            card.FindAll("[data-testid=requirements] .mud-list-item-text").Select(e => e.TextContent.Trim())
        );
        Assert.Contains(
            "12,345 predictions, 200 with a label, over 30 windows of 1d (contract version 2)",
            card.Find("[data-testid=volume]").TextContent,
            StringComparison.Ordinal
        );
        Assert.Empty(card.FindAll("[data-testid=open-alerts]"));
        // Two values with a gap between them: two points, no line across the gap.
        Assert.Equal(2, card.FindAll("[data-testid=sparkline] circle").Count);
        Assert.Empty(card.FindAll("[data-testid=sparkline] polyline"));
    }

    [Fact]
    public async Task A_generative_feature_is_told_by_its_outputs_and_acceptable_rate_not_by_labels()
    {
        await using var context = Context();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        // 130 of 160 outputs acceptable: the Wilson interval is statsmodels' (checked in Core's tests).
        var wilson = Overlap.Core.Statistics.Wilson.Interval(130, 160, 0.95);
        var range = new RangeReport
        {
            Feature = "mail-preview",
            ContractVersion = 1,
            Window = "1d",
            From = start,
            To = start.AddDays(30),
            Windows = 30,
            Predictions = 160,
            Labelled = 0,
            Generative = new GenerativeRange
            {
                Outputs = 160,
                ByModelVersion = new Dictionary<string, int> { ["preview@2"] = 160 },
                ByModel = new Dictionary<string, int>(),
                Rates = new Dictionary<string, MetricValue>
                {
                    ["acceptable_rate"] = new(130.0 / 160, wilson.Low, wilson.High, 160),
                },
            },
            DriftTestedWindows = 0,
            DriftedWindows = 0,
            DriftedColumns = new Dictionary<string, int>(),
            Precision = RangeMonitor.Precision,
        };
        var health = new FeatureHealth("mail-preview", 1, null, range, [], "acceptable_rate", []);
        var card = context.Render<FeatureCard>(p => p.Add(c => c.Health, health));

        Assert.Equal("81% acceptable", card.Find("[data-testid=verdict]").TextContent.Trim());
        var volume = card.Find("[data-testid=volume]").TextContent;
        Assert.Contains(
            "160 outputs over 30 windows of 1d (contract version 1); 81% of them acceptable "
                + $"({wilson.Low * 100:0}% to {wilson.High * 100:0}%)",
            volume,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("label", volume, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_text_is_escaped_never_run()
    {
        await using var context = Context();
        var judged = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var (health, _) = Health([
            new Overlap.Server.Alerts.AlertStateView(
                "spam-filter",
                "recall min 0.6",
                AlertState.Alert,
                DateTimeOffset.UnixEpoch,
                "Recall <b>fell</b> to 0.41",
                DateTimeOffset.UnixEpoch,
                judged.AddDays(-30),
                judged
            ),
        ]);
        var card = context.Render<FeatureCard>(p => p.Add(c => c.Health, health));

        Assert.Empty(card.FindAll("script"));
        Assert.Contains("&lt;script&gt;", card.Find("[data-testid=description]").InnerHtml, StringComparison.Ordinal);
        var alert = card.Find("[data-testid=open-alerts]");
        Assert.Empty(alert.QuerySelectorAll("b"));
        // The alert names its requirement and the days it judged, so the overview and the alert say the same thing.
        Assert.Contains(
            "1 open alert: recall min 0.6 (judged on 2026-01-31 00:00 to 2026-03-02 00:00 UTC): Recall <b>fell</b> to 0.41",
            alert.TextContent,
            StringComparison.Ordinal
        );
    }
}
