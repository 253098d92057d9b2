using Overlap.Core.Generative;

namespace Overlap.Storage.Postgres;

// The review queue on the server backend is being built (issue 16): items and claims in PostgreSQL, picked from the
// event store's predictions. Until then the server starts (no decision is unrecorded) and every review call says so.
internal sealed partial class PostgresStore : IReviewStore
{
    private static NotSupportedException NotBuilt() =>
        new(
            "the review queue is not available on the PostgreSQL and ClickHouse backend yet; run the feature's review on the embedded store"
        );

    /// <inheritdoc />
    public Task<int> RouteForReviewAsync(
        string feature,
        double scoreLow,
        double scoreHigh,
        double sample,
        double secondOpinion,
        DateTimeOffset now,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewDecision>> UnrecordedDecisionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReviewDecision>>([]);

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> RegressionCaseIdsAsync(string feature, CancellationToken cancellationToken) =>
        throw NotBuilt();

    /// <inheritdoc />
    public Task<int> EscalateReviewItemsAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<(DateTimeOffset Day, long Decided)>> DecisionsPerDayAsync(
        string feature,
        DateTimeOffset now,
        int days,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewItem>> ListReviewItemsAsync(
        string feature,
        ReviewStatus? status,
        int limit,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<ReviewQueueCounts> CountReviewItemsAsync(string feature, CancellationToken cancellationToken) =>
        throw NotBuilt();

    /// <inheritdoc />
    public Task<ReviewItem?> GetReviewItemAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<ReviewItem?> ClaimReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        DateTimeOffset now,
        DateTimeOffset until,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<bool> DecideReviewItemAsync(
        ReviewDecision decision,
        ReviewStatus next,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewDecision>> ReviewDecisionsAsync(
        string feature,
        string predictionId,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<(string First, string Second)>> SecondOpinionsAsync(
        string feature,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<SettledReview>> SettledReviewsAsync(
        string feature,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<RubricGrade>> ReviewGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task<IReadOnlyList<ReviewedOutput>> ReviewedOutputsAsync(
        string feature,
        CancellationToken cancellationToken
    ) => throw NotBuilt();

    /// <inheritdoc />
    public Task ReleaseReviewItemAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken
    ) => throw NotBuilt();
}
