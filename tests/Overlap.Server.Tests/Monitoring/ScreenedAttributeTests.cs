using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Events;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A window judged from its cells reads its watched features only where a value could need repair (the drift test reads
/// them on its sample): the values repaired are still counted over every prediction, as the row path counts them.
/// </summary>
public sealed class ScreenedAttributeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-screened-").FullName;
    private TestStore _store = null!;

    private static readonly Contract Contract = ContractParser.Parse(
        """
        feature: screened
        task: binary
        labels: { positive: fraud, negative: legit }
        columns: { id: id, label: outcome, score: p, segments: [channel], features: [amount, note] }
        threshold: 0.5
        requirements:
          - { metric: recall, min: 0.5 }
        """
    );

    public async Task InitializeAsync()
    {
        _store = new TestStore(_folder);
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 1000; i++)
        {
            // A NUL in a feature (a segment's NUL, in row 5, is read in full either way) at rows 10 and 700.
            var note = i is 10 or 700 ? "a\\u0000b" : "plain";
            var channel =
                i == 5 ? "we\\u0000b"
                : i % 2 == 0 ? "web"
                : "app";
            events.Add(
                new PredictionEvent
                {
                    Id = $"p{i}",
                    Feature = Contract.Feature,
                    Time = Day.AddSeconds(i * 60),
                    Score = (i % 100) / 100.0,
                    InputsJson = $"{{\"amount\":{i},\"note\":\"{note}\"}}",
                    AttributesJson = $"{{\"channel\":\"{channel}\"}}",
                }
            );
            events.Add(
                new OutcomeEvent
                {
                    Id = $"o{i}",
                    PredictionId = $"p{i}",
                    Label = i % 3 == 0 ? "fraud" : "legit",
                    Time = Day.AddDays(1),
                }
            );
        }
        await _store.Get<IEventSink>().AppendAsync(events, Day.AddDays(2));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheEmbeddedStore_ReadsAScreenedAttributeOnlyWhereItsTextMayHoldANul()
    {
        var notes = new Dictionary<string, string?>();
        var amounts = new Dictionary<string, string?>();
        await foreach (
            var batch in _store
                .Get<IEventReader>()
                .ReadPredictionBatchesAsync(
                    Contract.Feature,
                    Day,
                    Day.AddDays(1),
                    ["channel", "amount", "note"],
                    100,
                    new HashSet<string>(["amount", "note"])
                )
        )
        {
            for (var i = 0; i < batch.Count; i++)
            {
                notes.Add(batch.Ids[i], batch.Attributes["note"][i]);
                amounts.Add(batch.Ids[i], batch.Attributes["amount"][i]);
            }
        }
        Assert.Equal(1000, notes.Count);
        Assert.Equal(["p10", "p5", "p700"], notes.Where(n => n.Value is not null).Select(n => n.Key).Order());
        Assert.Equal("a\0b", notes["p10"]);
        Assert.Equal("plain", notes["p5"]);
        Assert.Equal(["10", "5", "700"], amounts.Where(a => a.Value is not null).Select(a => a.Value).Order());
    }

    [Fact]
    public async Task TheCellsPath_CountsRepairedFeatureValuesOverEveryPrediction_AsTheRowsPathDoes()
    {
        async Task<WindowReport> Compute(int chunkRows) =>
            (
                await WindowComputation.ComputeAsync(
                    _store.Get<IEventReader>(),
                    Contract,
                    1,
                    (Day, Day.AddDays(1)),
                    new EvaluationOptions { Resamples = 50 },
                    null,
                    ScoreCalibration.Identity,
                    CancellationToken.None,
                    chunkRows
                )
            ).Report;
        var rows = await Compute(1000);
        var cells = await Compute(100);
        Assert.Equal(
            [
                (
                    "a value of 'channel' held a NUL or a lone surrogate and is shown with U+FFFD in its place (the row is kept)",
                    1L
                ),
                (
                    "a value of 'note' held a NUL or a lone surrogate and is shown with U+FFFD in its place (the row is kept)",
                    2L
                ),
            ],
            rows.LeftOut!.Select(l => (l.Reason, l.Count)).Order()
        );
        Assert.Equal(
            rows.LeftOut!.Select(l => (l.Reason, l.Count)).Order(),
            cells.LeftOut!.Select(l => (l.Reason, l.Count)).Order()
        );
        Assert.Equal(rows.Evaluation!.Confusion, cells.Evaluation!.Confusion);
    }
}
