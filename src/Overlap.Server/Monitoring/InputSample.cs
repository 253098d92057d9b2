using Overlap.Core.Sampling;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>
/// A bounded sample of predictions kept as chunks of a window go by: the <c>size</c> whose ids have the smallest
/// <see cref="StableSample"/> keys, so it holds the rows a store's sampled read of the whole window returns
/// (<see cref="IEventReader.ReadPredictionsAsync"/> with a sample), whatever the chunks.
/// </summary>
internal sealed class InputSample(int size, IReadOnlyList<string> attributes)
{
    private sealed record Row(
        string Id,
        long TimeUs,
        double Score,
        string? Prediction,
        string? Label,
        double LatencyMs,
        double Cost,
        string? ModelVersion,
        string?[] Attributes
    );

    // The largest key on top, so a row with a smaller key replaces it.
    private readonly PriorityQueue<Row, (ulong Key, string Id)> _rows = new(
        Comparer<(ulong Key, string Id)>.Create((a, b) => Compare(b, a))
    );

    /// <summary>Considers every row of <paramref name="chunk"/>.</summary>
    public void Add(ProductionRows chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var columns = attributes.Select(a => chunk.Attributes[a]).ToArray();
        for (var i = 0; i < chunk.Count; i++)
        {
            var priority = (StableSample.Key(chunk.Ids[i]), chunk.Ids[i]);
            if (_rows.Count == size)
            {
                if (size == 0 || !_rows.TryPeek(out _, out var largest) || Compare(priority, largest) >= 0)
                {
                    continue;
                }
                _rows.Dequeue();
            }
            _rows.Enqueue(
                new Row(
                    chunk.Ids[i],
                    chunk.TimesUs[i],
                    chunk.Scores[i],
                    chunk.Predictions[i],
                    chunk.Labels[i],
                    chunk.LatencyMs[i],
                    chunk.Costs[i],
                    chunk.ModelVersions[i],
                    [.. columns.Select(c => c[i])]
                ),
                priority
            );
        }
    }

    private static int Compare((ulong Key, string Id) a, (ulong Key, string Id) b) =>
        a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.Id, b.Id);

    /// <summary>The sample, oldest first (by time, then id), as a store reads rows.</summary>
    public ProductionRows Rows()
    {
        var rows = _rows
            .UnorderedItems.Select(r => r.Element)
            .OrderBy(r => r.TimeUs)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToArray();
        return new ProductionRows
        {
            Ids = [.. rows.Select(r => r.Id)],
            TimesUs = [.. rows.Select(r => r.TimeUs)],
            Scores = [.. rows.Select(r => r.Score)],
            Predictions = [.. rows.Select(r => r.Prediction)],
            Labels = [.. rows.Select(r => r.Label)],
            LatencyMs = [.. rows.Select(r => r.LatencyMs)],
            Costs = [.. rows.Select(r => r.Cost)],
            ModelVersions = [.. rows.Select(r => r.ModelVersion)],
            // The sample feeds the drift test only: the workflow is counted over every row, not over the sample.
            Workflows = new Overlap.Events.WorkflowTrace?[rows.Length],
            Attributes = attributes
                .Select((name, a) => (name, a))
                .ToDictionary(x => x.name, x => rows.Select(r => r.Attributes[x.a]).ToArray(), StringComparer.Ordinal),
        };
    }
}
