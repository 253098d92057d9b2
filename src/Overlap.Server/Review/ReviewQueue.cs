using Overlap.Core.Contracts;
using Overlap.Core.Events;
using Overlap.Core.Statistics;
using Overlap.Events;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Review;

/// <summary>
/// The review queue of a feature: routes what arrived since the last look by the latest contract, hands out expiring
/// locks, and turns decisions into outcomes marked as reviewed by a person (<c>source: review</c>).
/// </summary>
internal sealed class ReviewQueue(
    IReviewStore store,
    IEventSink events,
    ContractRegistry features,
    ServerOptions options
)
{
    /// <summary>How long a claim holds an item for its reviewer.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Routes the feature's new predictions by <see cref="ReviewRouting"/> (the contract's <c>review</c> policy, or a
    /// generative feature's <c>judges.people.sample</c>) and escalates items left pending longer than
    /// <c>review.escalate_after</c>; false when nothing routes the feature's outputs to people.
    /// </summary>
    public async Task<bool> RouteAsync(string feature, CancellationToken cancellationToken)
    {
        if (features.Find(feature) is not { } contract)
        {
            return false;
        }
        var routing = ReviewRouting.Guarded(contract);
        var now = options.Time.GetUtcNow();
        var changed = await store
            .RouteForReviewAsync(
                feature,
                routing.ScoreLow,
                routing.ScoreHigh,
                routing.Sample,
                routing.SecondOpinion,
                now,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (contract.Review?.EscalateAfter is { } wait)
        {
            changed += await store
                .EscalateReviewItemsAsync(feature, now - wait, cancellationToken)
                .ConfigureAwait(false);
        }
        if (changed > 0)
        {
            Forget(feature);
        }
        return true;
    }

    /// <summary>
    /// Stores each decision's label as an outcome marked <c>source: review</c> (a second write of the same decision is a
    /// no-op). Also run at start-up for decisions whose outcome a stop cut off (<see cref="IReviewStore.UnrecordedDecisionsAsync"/>).
    /// </summary>
    public static Task RecordAsync(
        IEventSink events,
        IReadOnlyList<ReviewDecision> decisions,
        CancellationToken cancellationToken
    ) =>
        events.AppendAsync(
            [
                .. decisions.Select(d => new OutcomeEvent
                {
                    Id = d.OutcomeId,
                    Feature = d.Feature,
                    PredictionId = d.PredictionId,
                    Label = d.Label!,
                    Source = "review",
                    Time = d.DecidedAt,
                }),
            ],
            decisions.Count == 0 ? DateTimeOffset.UnixEpoch : decisions.Max(d => d.DecidedAt),
            cancellationToken
        );

    /// <summary>The model's answer for an item: its decision as sent, or for a binary contract its score against the threshold.</summary>
    public string? ModelLabel(string feature, ReviewItem item) =>
        features.Find(feature) is { } contract ? ModelLabel(contract, item) : item.Prediction;

    private static string? ModelLabel(Contract contract, ReviewItem item) =>
        ModelLabel(contract, item.Prediction, item.Score);

    /// <summary>The model's answer as a label: the prediction it sent, else (binary) its score against the threshold.</summary>
    private static string? ModelLabel(Contract contract, string? prediction, double? score) =>
        Overlap.Core.Monitoring.ProductionDecision.Of(contract, prediction, score);

    /// <summary>The settled decisions in figures: how many found the model wrong, by failure category or by answer.</summary>
    public async Task<ReviewBreakdown?> BreakdownAsync(string feature, CancellationToken cancellationToken) =>
        features.Find(feature) is { } contract
            ? ReviewBreakdown.Of(
                contract,
                await store.SettledReviewsAsync(feature, cancellationToken).ConfigureAwait(false),
                r => ModelLabel(contract, r.Prediction, r.Score)
            )
            : null;

    /// <summary>Claims an item for <paramref name="reviewer"/>; the outcome says whether the lock is theirs and, if not, why.</summary>
    public async Task<(ReviewItem? Item, string? Problem)> ClaimAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken
    )
    {
        var now = options.Time.GetUtcNow();
        var item = await store
            .ClaimReviewItemAsync(feature, predictionId, reviewer, now, now + Lease, cancellationToken)
            .ConfigureAwait(false);
        return item switch
        {
            null => (null, null),
            { Status: ReviewStatus.Decided } => (item, "This item is decided already."),
            { ClaimedBy: var by } when by == reviewer => (item, null),
            { ClaimedBy: not null, ClaimExpires: var until } when until >= now => (
                item,
                $"Another reviewer holds this item until {until:HH:mm:ss} UTC; take another one."
            ),
            _ => (item, "You decided this item already; a second opinion must come from another reviewer."),
        };
    }

    private readonly Dictionary<string, (DateTimeOffset At, ReviewQueueCounts Counts)> _counts = new(
        StringComparer.Ordinal
    );
    private readonly Lock _countsGate = new();

    /// <summary>
    /// The queue in figures for pages that only glance at it (the overview), kept for <see cref="ReviewScheduler.Period"/>:
    /// counting a queue of millions of routed items takes a tenth of a second, and it moves only when routed or decided.
    /// </summary>
    public async Task<ReviewQueueCounts> GlanceAsync(string feature, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        lock (_countsGate)
        {
            if (_counts.TryGetValue(feature, out var kept) && now - kept.At < ReviewScheduler.Period)
            {
                return kept.Counts;
            }
        }
        var counts = await store.CountReviewItemsAsync(feature, cancellationToken).ConfigureAwait(false);
        lock (_countsGate)
        {
            _counts[feature] = (now, counts);
        }
        return counts;
    }

    /// <summary>The queue in figures, counted now.</summary>
    public Task<ReviewQueueCounts> CountsAsync(string feature, CancellationToken cancellationToken) =>
        store.CountReviewItemsAsync(feature, cancellationToken);

    /// <summary>The oldest <paramref name="limit"/> items with <paramref name="status"/>.</summary>
    public Task<IReadOnlyList<ReviewItem>> ItemsAsync(
        string feature,
        ReviewStatus? status,
        int limit,
        CancellationToken cancellationToken
    ) => store.ListReviewItemsAsync(feature, status, limit, cancellationToken);

    /// <summary>Drops the kept glance at a queue this server just changed, so the next page shows the change.</summary>
    private void Forget(string feature)
    {
        lock (_countsGate)
        {
            _counts.Remove(feature);
        }
    }

    /// <summary>Decisions per UTC day over the last <see cref="DecisionDays"/> days, oldest first.</summary>
    public async Task<IReadOnlyList<DecidedOnDay>> DecidedPerDayAsync(
        string feature,
        CancellationToken cancellationToken
    ) =>
        [
            .. (
                await store
                    .DecisionsPerDayAsync(feature, options.Time.GetUtcNow(), DecisionDays, cancellationToken)
                    .ConfigureAwait(false)
            ).Select(d => new DecidedOnDay(d.Day, d.Decided)),
        ];

    /// <summary>The days a queue's decisions are counted over.</summary>
    public const int DecisionDays = 14;

    /// <summary>Gives up the reviewer's lock on an item, so another reviewer can take it at once.</summary>
    public Task ReleaseAsync(
        string feature,
        string predictionId,
        string reviewer,
        CancellationToken cancellationToken
    ) => store.ReleaseReviewItemAsync(feature, predictionId, reviewer, cancellationToken);

    /// <summary>How far reviewers agree on the items two of them decided, at the contract's confidence.</summary>
    public async Task<ReviewerAgreement> AgreementAsync(string feature, CancellationToken cancellationToken) =>
        ReviewerAgreement.Of(
            await store.SecondOpinionsAsync(feature, cancellationToken).ConfigureAwait(false),
            features.Find(feature)?.Confidence ?? 0.95
        );

    /// <summary>
    /// Decides an item the reviewer holds. approve: the model's answer was right; correct: it was wrong and
    /// <paramref name="label"/> is right; reject: it was wrong (binary: the other label). The label becomes an outcome.
    /// </summary>
    public async Task<DecisionOutcome> DecideAsync(
        string feature,
        string predictionId,
        string reviewer,
        string decision,
        string? label,
        string? category,
        string? note,
        IReadOnlyDictionary<string, System.Text.Json.JsonElement>? sentGrades,
        CancellationToken cancellationToken
    )
    {
        var contract = features.Find(feature)!;
        var item = await store.GetReviewItemAsync(feature, predictionId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return new DecisionOutcome(DecisionResult.NotRouted, null, null);
        }
        if (
            contract.Review?.FailureCategories is { Count: > 0 } categories
            && category is not null
            && !categories.Contains(category, StringComparer.Ordinal)
        )
        {
            return DecisionOutcome.Invalid(
                $"category must be one of the contract's failure categories: {string.Join(", ", categories)}"
            );
        }
        var rubric = DecisionGrades.RubricOf(contract);
        IReadOnlyDictionary<string, int>? grades = null;
        string? outcome = null;
        if (rubric is not null)
        {
            // A generative output is decided by its grades alone: approve when every criterion passes, else reject.
            (grades, var problem) = DecisionGrades.Read(rubric, sentGrades);
            if (grades is null)
            {
                return DecisionOutcome.Invalid(problem!);
            }
            decision = DecisionGrades.Decision(rubric, grades);
        }
        else if (LabelOutcome(contract, item, ref decision, label, out outcome) is { } problem)
        {
            return DecisionOutcome.Invalid(problem);
        }
        var now = options.Time.GetUtcNow();
        // An item that needs two opinions waits for a second reviewer after the first; two that agree settle it, two that
        // disagree escalate it, and the next decision (from a third reviewer) settles it. Only a settling decision's
        // label becomes an outcome.
        var before = await store.ReviewDecisionsAsync(feature, predictionId, cancellationToken).ConfigureAwait(false);
        var answer = outcome ?? decision;
        var next = (item.Opinions, before.Count) switch
        {
            (< 2, _) or (_, >= 2) => ReviewStatus.Decided,
            (_, 0) => ReviewStatus.Second,
            _ => (
                rubric is not null && before[0].Grades is { } first
                    ? DecisionGrades.Agree(rubric, first, grades!)
                    : string.Equals(before[0].Answer, answer, StringComparison.Ordinal)
            )
                ? ReviewStatus.Decided
                : ReviewStatus.Escalated,
        };
        var recorded = new ReviewDecision(feature, predictionId, reviewer, decision, outcome, category, note, now)
        {
            Final = next == ReviewStatus.Decided,
            Grades = grades,
        };
        if (!await store.DecideReviewItemAsync(recorded, next, cancellationToken).ConfigureAwait(false))
        {
            return new DecisionOutcome(
                DecisionResult.NotHeld,
                null,
                "Claim the item first (or again: a claim lasts 10 minutes, and a decided item is closed)."
            );
        }
        Forget(feature);
        if (outcome is not null && recorded.Final)
        {
            await RecordAsync(events, [recorded], cancellationToken).ConfigureAwait(false);
        }
        return new DecisionOutcome(DecisionResult.Decided, recorded.Final ? outcome : null, null) { Status = next };
    }

    /// <summary>
    /// The outcome label a decision on a label records (approve: the model's answer; correct: the label sent; reject:
    /// binary's other label), or what is wrong with the decision in words (null when nothing is).
    /// </summary>
    private static string? LabelOutcome(
        Contract contract,
        ReviewItem item,
        ref string decision,
        string? label,
        out string? outcome
    )
    {
        var (positive, negative) = (contract.Labels.Positive ?? "1", contract.Labels.Negative ?? "0");
        var model = ModelLabel(contract, item);
        // The outcome a decision writes is always a label the contract names, whatever the stored prediction holds.
        var unnamed = model is not null && EventContractCheck.Normalize(contract, model) is null;
        var allowed = EventContractCheck.Allowed(contract) is { } names ? $"one of: {names}" : "a number";
        outcome = null;
        switch (decision)
        {
            case "approve" or "reject" when unnamed:
                return $"the model's answer '{model}' is not a label of the contract; correct it with the right label, {allowed}";
            case "approve":
                outcome = model;
                break;
            case "correct":
                if (string.IsNullOrWhiteSpace(label))
                {
                    return "a correction needs the right label";
                }
                if (EventContractCheck.Normalize(contract, label) is not { } named)
                {
                    return $"label must be {allowed}";
                }
                outcome = named;
                // A correction to the model's own answer says the model was right.
                decision = named == model ? "approve" : decision;
                break;
            case "reject":
                outcome =
                    contract.Task == TaskKind.Binary && model is not null
                        ? (model == positive ? negative : positive)
                        : null;
                break;
            default:
                return "decision must be approve, correct or reject";
        }
        return null;
    }
}

/// <summary>How a decision went.</summary>
internal enum DecisionResult
{
    Decided,
    NotRouted,
    Invalid,
    NotHeld,
}

/// <summary>How a decision went, the label recorded as the outcome, and what was wrong in words.</summary>
internal sealed record DecisionOutcome(DecisionResult Result, string? Label, string? Problem)
{
    /// <summary>Where the item went: decided, second (waiting for a second opinion) or escalated (two opinions disagree).</summary>
    public ReviewStatus Status { get; init; } = ReviewStatus.Decided;

    public static DecisionOutcome Invalid(string problem) => new(DecisionResult.Invalid, null, problem);
}

/// <summary>
/// <c>GET /v1/features/{feature}/review</c>: the queue in figures, decisions per day (last 14), agreement between
/// reviewers on the items two of them decided, and its oldest items.
/// </summary>
public sealed record ReviewQueueResponse(
    string Feature,
    bool Routed,
    ReviewCountsView Counts,
    IReadOnlyList<DecidedOnDay> DecidedPerDay,
    AgreementFigures Agreement,
    IReadOnlyList<ReviewItemView> Items
);

/// <summary>
/// Agreement between reviewers: items decided by two, how many of those agree, the share with its interval (null with
/// no such item), and Cohen's kappa (null when it cannot be computed).
/// </summary>
public sealed record AgreementFigures(
    long Items,
    long Agreeing,
    double? Share,
    double? Low,
    double? High,
    double? Kappa
)
{
    /// <summary>The figures of an agreement, with null for what cannot be computed.</summary>
    public static AgreementFigures Of(ReviewerAgreement a) =>
        new(a.Cases, a.Agreeing, Finite(a.Share), Finite(a.Interval.Low), Finite(a.Interval.High), Finite(a.Kappa));

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>How many decisions a UTC day saw.</summary>
public sealed record DecidedOnDay(DateTimeOffset Day, long Decided);

/// <summary>
/// A decision as sent: approve, correct (with <c>label</c>) or reject, with an optional failure category and note; for a
/// generative output, <c>grades</c> instead of a decision: one per rubric criterion, "pass"/"fail" or 1–5.
/// </summary>
public sealed record ReviewDecisionRequest(
    string? Decision,
    string? Label,
    string? Category,
    string? Note,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Grades = null
);

/// <summary>
/// What a decision did: the item's status (decided, second: waiting for a second opinion, escalated: two opinions
/// disagree) and the label recorded as the outcome (null when none, or not yet).
/// </summary>
public sealed record ReviewDecisionResponse(string PredictionId, ReviewStatus Status, string? Label);

/// <summary><c>GET /v1/features/{feature}/review/grades</c>: the rubric grades of outputs predicted in [from, to).</summary>
public sealed record RubricGradesResponse(
    string Feature,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<RubricGradeView> Grades
);

/// <summary>
/// One grade: the output, the criterion, the grade ("pass"/"fail" on a pass/fail criterion, "1"–"5" on a 1–5 one, null
/// when a model judge gave no verdict) and who gave it (person or model).
/// </summary>
public sealed record RubricGradeView(string OutputId, string Criterion, string? Grade, string Source);
