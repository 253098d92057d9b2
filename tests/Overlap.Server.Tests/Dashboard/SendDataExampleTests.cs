using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Server.Monitoring;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>A feature's first events as its page shows them, taken by a real server for each kind of contract; and the review breakdown without categories.</summary>
public sealed class SendDataExampleTests
{
    private const string Binary =
        "feature: fraud\ntask: binary\nlabels: { positive: fraud, negative: legit }\ncolumns: { id: id, label: outcome, score: p, segments: [channel, region] }\nrequirements:\n  - { metric: recall, min: 0.7 }\n";

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Contracts =>
        new()
        {
            { "binary", Binary },
            {
                "multiclass",
                "feature: router\ntask: multiclass\nlabels: { classes: [billing, technical] }\ncolumns: { id: id, label: queue, prediction: predicted, segments: [language] }\nrequirements:\n  - { metric: accuracy, min: 0.8 }\n"
            },
            {
                "fairness",
                "feature: hiring\ntask: binary\nlabels: { positive: hired, negative: rejected }\ncolumns: { id: id, label: outcome, score: p }\nrequirements:\n  - { metric: recall, min: 0.7 }\nfairness: { attributes: [sex] }\n"
            },
            {
                "regression",
                "feature: eta\ntask: regression\ncolumns: { id: id, label: minutes, prediction: predicted }\nrequirements:\n  - { metric: mae, max: 5 }\n"
            },
        };

    [Theory]
    [MemberData(nameof(Contracts))]
    public async Task TheExampleEvents_OfEachKindOfContract_AreAcceptedAsShown_AndLabelThePrediction(
        string kind,
        string yaml
    )
    {
        await using var server = await RunningServer.StartAsync();
        var contract = ContractParser.Parse(yaml, "overlap.yaml");
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{contract.Feature}/contract", new StringContent(yaml))).StatusCode
        );
        var example = new SendDataExample(contract, new Uri(server.Address, "/features/x"), Now);

        // The curl line posts these two lines to this server's ingest endpoint.
        var curl = example.Curl(example.Prediction, example.Outcome);
        Assert.Contains(
            $"{server.Address.GetLeftPart(UriPartial.Authority)}/v1/events <<'NDJSON'\n{example.Prediction}\n{example.Outcome}\nNDJSON",
            curl,
            StringComparison.Ordinal
        );
        using var ingest = server.Client(KeyRole.Ingest);
        var response = await ingest.PostAsync(
            "/v1/events",
            new StringContent($"{example.Prediction}\n{example.Outcome}", Encoding.UTF8, "application/x-ndjson")
        );
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{kind}: {answer.RootElement}");
        Assert.Equal(
            (2, 0),
            (
                answer.RootElement.GetProperty("accepted").GetInt32(),
                answer.RootElement.GetProperty("rejected").GetArrayLength()
            )
        );
        Assert.Equal(1, (await server.CountAsync(contract.Feature)).Labelled);

        // The SDK calls name the same feature, id and label.
        Assert.Contains($"Feature = \"{contract.Feature}\"", example.SdkPrediction, StringComparison.Ordinal);
        Assert.Contains(
            $"PredictionId = \"{SendDataExample.PredictionId}\"",
            example.SdkOutcome,
            StringComparison.Ordinal
        );
        Assert.Equal(
            kind is "binary" or "fairness",
            example.SdkPrediction.Contains("Score = 0.87", StringComparison.Ordinal)
        );
        Assert.Equal(
            contract.Columns.Segments.Count > 0 || contract.Fairness is not null,
            example.Prediction.Contains("\"attributes\":", StringComparison.Ordinal)
        );
        // A sensitive attribute is sent like a segment, so the fairness section has its groups.
        Assert.Equal(kind == "fairness", example.Prediction.Contains("\"sex\":\"<sex>\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Breakdown_WithoutFailureCategories_GroupsTheMistakesByTheModelsAnswerAndTheReviewers()
    {
        var contract = ContractParser.Parse(Binary, "overlap.yaml");
        SettledReview Decided(string id, string decision, string label, double score) =>
            new(id, decision, label, null, score, null);
        var breakdown = ReviewBreakdown.Of(
            contract,
            [
                Decided("a", "approve", "fraud", 0.9),
                Decided("b", "reject", "legit", 0.8),
                Decided("c", "correct", "legit", 0.7),
                Decided("d", "reject", "fraud", 0.2),
            ],
            r => r.Score >= contract.Threshold ? "fraud" : "legit"
        );
        Assert.Equal(
            (4L, 1L, 3L, false),
            (breakdown.Decided, breakdown.Approved, breakdown.Wrong, breakdown.ByCategory)
        );
        Assert.Equal([("fraud → legit", 2L), ("legit → fraud", 1L)], breakdown.Groups);
    }
}
