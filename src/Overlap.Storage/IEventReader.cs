namespace Overlap.Storage;

/// <summary>
/// Reads what was appended: a feature's predictions over a time range with their latest outcomes, counts, and the change
/// numbers that say whether anything in a range changed since a report was computed.
/// </summary>
public interface IEventReader
{
    /// <summary>
    /// A feature's predictions with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, oldest first (by time,
    /// then id), each with its latest outcome and the values of <paramref name="attributes"/>; with
    /// <paramref name="sample"/>, at most that many, picked by <see cref="Overlap.Core.Sampling.StableSample"/> (the
    /// predictions whose ids have the smallest sampling keys), so every store picks the same ones.
    /// </summary>
    Task<ProductionRows> ReadPredictionsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The rows of <see cref="ReadPredictionsAsync"/> without their labels (every label null): what a drift test reads,
    /// which compares inputs and scores only. A store where the labels cost a scan of every stored outcome (ClickHouse)
    /// skips it; any other reads them and drops them.
    /// </summary>
    async Task<ProductionRows> ReadUnlabelledPredictionsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int? sample = null,
        CancellationToken cancellationToken = default
    )
    {
        var rows = await ReadPredictionsAsync(feature, from, to, attributes, sample, cancellationToken)
            .ConfigureAwait(false);
        return rows with { Labels = new string?[rows.Count] };
    }

    /// <summary>The latest change number among the hours of [<paramref name="from"/>, <paramref name="to"/>): whether anything there changed since.</summary>
    Task<long> ChangeInRangeAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    );

    /// <summary>The feature's latest change number (it moves with every append that adds a prediction or a label, and may move more often: a report is then computed again, never kept stale): a report computed at it is current until it moves.</summary>
    Task<long> CurrentChangeAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each of <paramref name="predictionIds"/> that is stored, the features that have a prediction with that id
    /// (ids are unique per feature, so there may be several), by id.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FeaturesOfPredictionsAsync(
        IReadOnlyCollection<string> predictionIds,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Every event of a feature with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, as it was stored
    /// (predictions with their generative fields, outcomes, feedback with its edit distance, business results), ordered
    /// by time, then kind (<see cref="Overlap.Events.EventKind"/> order), then id. Each holds the feature it was stored
    /// under; times are kept to the microsecond. Meant for exports and checks over a bounded range, not for whole windows.
    /// </summary>
    Task<IReadOnlyList<Overlap.Events.FeatureEvent>> ReadEventsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The events of <see cref="ReadEventsAsync(string, DateTimeOffset, DateTimeOffset, CancellationToken)"/> of the
    /// given kinds only: what follows predictions (feedback and business results) can be read over weeks this way
    /// without reading the predictions themselves.
    /// </summary>
    Task<IReadOnlyList<Overlap.Events.FeatureEvent>> ReadEventsAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlySet<Overlap.Events.EventKind> kinds,
        CancellationToken cancellationToken = default
    );

    /// <summary>How many events a feature has.</summary>
    Task<EventCounts> CountAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> of a feature's predictions received after <paramref name="after"/> (by the time
    /// the store took them, then by id, ordinal), in that order, each once: what the review queue routes and the model
    /// judge grades, read a page at a time by passing the last one's <see cref="StoredPrediction.Position"/>.
    /// </summary>
    Task<IReadOnlyList<StoredPrediction>> PredictionsAfterAsync(
        string feature,
        ReceivedPosition after,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The rows of <see cref="ReadPredictionsAsync"/> (no sample) read in consecutive chunks of at most about
    /// <paramref name="chunkRows"/> predictions each, so a large window is never held whole: the chunks are time slices
    /// cut on whole minutes (a single minute holding more than <paramref name="chunkRows"/> is a chunk of its own), and
    /// their rows, one after the other, are exactly the rows of the whole read, in the same order. An empty range yields
    /// no chunk.
    /// </summary>
    IAsyncEnumerable<ProductionRows> ReadPredictionChunksAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int chunkRows,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The rows of <see cref="ReadPredictionsAsync"/> (no sample) in batches of at most <paramref name="batchRows"/>, in
    /// no particular order: every prediction of the range once (of copies stored beyond the dedup horizon, the one that
    /// read keeps), so a reader that only adds rows up (a window judged from its cells) never makes the store sort or
    /// hold the range. An empty range yields no batch. An attribute also in <paramref name="screened"/> is one the caller
    /// only screens for a NUL (see <c>TextRepair</c>): a store may read it as missing wherever its stored text cannot
    /// hold a NUL, sparing the extraction of values nobody looks at; a store that ignores the hint reads it in full.
    /// </summary>
    IAsyncEnumerable<ProductionRows> ReadPredictionBatchesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int batchRows,
        IReadOnlySet<string>? screened = null,
        CancellationToken cancellationToken = default
    );
}

/// <summary>Sets of event kinds for <see cref="IEventReader.ReadEventsAsync(string, DateTimeOffset, DateTimeOffset, IReadOnlySet{Overlap.Events.EventKind}, CancellationToken)"/>.</summary>
public static class EventKinds
{
    /// <summary>Every kind.</summary>
    public static readonly IReadOnlySet<Overlap.Events.EventKind> All = new HashSet<Overlap.Events.EventKind>(
        Enum.GetValues<Overlap.Events.EventKind>()
    );

    /// <summary>What follows a prediction from its users: feedback and business results.</summary>
    public static readonly IReadOnlySet<Overlap.Events.EventKind> Responses = new HashSet<Overlap.Events.EventKind>
    {
        Overlap.Events.EventKind.Feedback,
        Overlap.Events.EventKind.Business,
    };
}
