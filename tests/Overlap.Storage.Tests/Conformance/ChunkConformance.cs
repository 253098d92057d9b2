using System.Globalization;
using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>A window read in chunks: the chunks together are exactly the whole read, each bounded.</summary>
public abstract class ChunkConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task ReadPredictionChunks_TogetherAreExactlyTheWholeRead_EachAtMostTheChunkSize()
    {
        await using var store = Open();
        // 12 minutes after 11:58: minute k holds 3k + 1 predictions (minute 9 holds 28), at seconds spread over it, some
        // on the minute itself; every third prediction labelled, one of them twice (the later label wins).
        var events = new List<FeatureEvent>();
        for (var minute = 0; minute < 12; minute++)
        {
            for (var i = 0; i <= 3 * minute; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"m{minute:00}-{i:00}");
                var time = Noon.AddMinutes(minute - 2).AddSeconds(i * 59.0 / (3 * minute + 1));
                events.Add(
                    new PredictionEvent
                    {
                        Id = id,
                        Time = time,
                        Feature = "fraud",
                        Score = (minute * 37 + i) % 100 / 100.0,
                        LatencyMs = i,
                        AttributesJson = $"{{\"country\":\"{(i % 2 == 0 ? "de" : "fr")}\"}}",
                    }
                );
                if (i % 3 == 0)
                {
                    events.Add(
                        new OutcomeEvent
                        {
                            Id = "o-" + id,
                            Time = time.AddHours(1),
                            PredictionId = id,
                            Label = i % 2 == 0 ? "1" : "0",
                        }
                    );
                }
            }
        }
        events.Add(
            new OutcomeEvent
            {
                Id = "o-late",
                Time = Noon.AddHours(3),
                PredictionId = "m05-00",
                Label = "0",
            }
        );
        // One prediction outside the range on each side.
        events.Add(
            new PredictionEvent
            {
                Id = "before",
                Time = Noon.AddMinutes(-3),
                Feature = "fraud",
                Score = 0.5,
            }
        );
        events.Add(
            new PredictionEvent
            {
                Id = "after",
                Time = Noon.AddMinutes(10),
                Feature = "fraud",
                Score = 0.5,
            }
        );
        await store.Sink.AppendAsync(events, Noon.AddHours(4));
        var (from, to) = (Noon.AddMinutes(-2), Noon.AddMinutes(10));

        var whole = await store.Reader.ReadPredictionsAsync("fraud", from, to, ["country"]);
        var chunks = new List<ProductionRows>();
        await foreach (var chunk in store.Reader.ReadPredictionChunksAsync("fraud", from, to, ["country"], 40))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(210, whole.Count);
        // Minutes are never split: 1+4+…+22 = 92 is cut as 1+4+7+10+13 = 35, 16+19 = 35, 22, 25, 28, 31, 34.
        Assert.Equal([35, 35, 22, 25, 28, 31, 34], chunks.Select(c => c.Count));
        Assert.Equal(whole.Ids, chunks.SelectMany(c => c.Ids));
        Assert.Equal(whole.TimesUs, chunks.SelectMany(c => c.TimesUs));
        Assert.Equal(whole.Scores, chunks.SelectMany(c => c.Scores));
        Assert.Equal(whole.Labels, chunks.SelectMany(c => c.Labels));
        Assert.Equal(whole.LatencyMs, chunks.SelectMany(c => c.LatencyMs));
        Assert.Equal(whole.Attributes["country"], chunks.SelectMany(c => c.Attributes["country"]));
        Assert.Equal("0", whole.Labels[Array.IndexOf(whole.Ids, "m05-00")]);
        Assert.Equal(78, whole.Labels.Count(l => l is not null));

        // Without labels (what a drift test reads): the same rows, whole or sampled, every label null.
        foreach (var sample in new int?[] { null, 50 })
        {
            var labelled = await store.Reader.ReadPredictionsAsync("fraud", from, to, ["country"], sample);
            var unlabelled = await store.Reader.ReadUnlabelledPredictionsAsync("fraud", from, to, ["country"], sample);
            Assert.Equal(sample ?? 210, unlabelled.Count);
            Assert.Equal(labelled.Ids, unlabelled.Ids);
            Assert.Equal(labelled.Scores, unlabelled.Scores);
            Assert.Equal(labelled.Attributes["country"], unlabelled.Attributes["country"]);
            Assert.All(unlabelled.Labels, Assert.Null);
        }

        // A chunk larger than the window is the whole read; an empty range has no chunk.
        var one = new List<ProductionRows>();
        await foreach (var chunk in store.Reader.ReadPredictionChunksAsync("fraud", from, to, ["country"], 1000))
        {
            one.Add(chunk);
        }
        Assert.Equal(whole.Ids, Assert.Single(one).Ids);
        await foreach (
            var _ in store.Reader.ReadPredictionChunksAsync("fraud", Noon.AddDays(1), Noon.AddDays(2), [], 40)
        )
        {
            Assert.Fail("an empty range yields no chunk");
        }

        // In batches, in no particular order: the same rows (labels, latencies and versions too), each once, each batch at
        // most the size.
        var batches = new List<ProductionRows>();
        await foreach (var batch in store.Reader.ReadPredictionBatchesAsync("fraud", from, to, ["country"], 40))
        {
            batches.Add(batch);
        }
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 40));
        var rows = batches
            .SelectMany(b =>
                Enumerable
                    .Range(0, b.Count)
                    .Select(i =>
                        (
                            b.Ids[i],
                            b.TimesUs[i],
                            b.Scores[i],
                            b.Labels[i],
                            b.Attributes["country"][i],
                            b.LatencyMs[i],
                            b.ModelVersions[i]
                        )
                    )
            )
            .OrderBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            Enumerable
                .Range(0, whole.Count)
                .Select(i =>
                    (
                        whole.Ids[i],
                        whole.TimesUs[i],
                        whole.Scores[i],
                        whole.Labels[i],
                        whole.Attributes["country"][i],
                        whole.LatencyMs[i],
                        whole.ModelVersions[i]
                    )
                )
                .OrderBy(r => r.Item1, StringComparer.Ordinal),
            rows
        );
        await foreach (
            var _ in store.Reader.ReadPredictionBatchesAsync("fraud", Noon.AddDays(1), Noon.AddDays(2), [], 40)
        )
        {
            Assert.Fail("an empty range yields no batch");
        }
    }
}
