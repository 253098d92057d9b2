using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Contracts;
using Overlap.Judges;
using Overlap.Server.Contracts;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Judging;

/// <summary>
/// The model judge in production: every <see cref="Period"/> it grades, for each generative feature whose contract has
/// <c>judges.model</c>, up to <see cref="Batch"/> new outputs of the share <c>judges.model.sample</c> (Core's
/// StableSample over the id followed by <see cref="Salt"/>, so independent of the people's sample) with Overlap.Judges'
/// <see cref="ModelJudge"/>, at most <c>MaxConcurrency</c> calls at once, and stores the grades with their cost
/// (<see cref="IModelGradeStore"/>). It never runs on the ingest path, stops with the host, grades nothing when the judge
/// is not configured (a variable missing), and stops for the UTC day once <c>budget_per_day</c> is spent; <see cref="Status"/>
/// says which in words.
/// </summary>
internal sealed partial class ProductionJudge(
    ContractRegistry features,
    IModelGradeStore grades,
    ServerOptions options,
    ILogger<ProductionJudge> logger,
    JudgeEnvironment environment
) : BackgroundService
{
    /// <summary>How often new outputs are looked for.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>The most outputs graded per feature in one pass.</summary>
    public const int Batch = 20;

    /// <summary>Appended to an output's id before sampling, so the judge's sample is not the people's.</summary>
    public const string Salt = "#model-judge";

    private readonly ConcurrentDictionary<string, JudgeStatus> _status = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Contract Contract, ModelJudge? Judge, string? Problem)> _judges =
        new(StringComparer.Ordinal);

    /// <summary>Where the feature's judge stands; null when its contract has no <c>judges.model</c>.</summary>
    public JudgeStatus? Status(string feature) =>
        features.Find(feature)?.Generative?.Judges?.Model is null
            ? null
            : _status.GetValueOrDefault(feature)
                ?? new JudgeStatus(
                    JudgeState.Starting,
                    "The judge has not looked at this feature yet; it does within seconds.",
                    0,
                    null,
                    0
                );

    /// <summary>One pass over every feature with a model judge; what the loop runs, and what tests call.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        foreach (var feature in features.Names)
        {
            if (features.Find(feature) is not { Generative.Judges.Model: { } policy } contract)
            {
                continue;
            }
            try
            {
                _status[feature] = await GradeAsync(feature, contract, policy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One feature's failure is said on its status and tried again at the next pass.
                LogJudgeFailed(logger, feature, e);
                _status[feature] = new JudgeStatus(
                    JudgeState.Failing,
                    $"Grading failed at {options.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC ({e.Message}); trying again in {Period.TotalSeconds:0} s.",
                    0,
                    policy.BudgetPerDay,
                    _status.GetValueOrDefault(feature)?.Graded ?? 0
                );
            }
        }
    }

    private async Task<JudgeStatus> GradeAsync(
        string feature,
        Contract contract,
        Core.Generative.ModelJudgePolicy policy,
        CancellationToken cancellationToken
    )
    {
        var graded = _status.GetValueOrDefault(feature)?.Graded ?? 0;
        var (judge, problem) = JudgeFor(feature, contract, policy);
        if (judge is null)
        {
            return new JudgeStatus(JudgeState.Off, $"Not grading: {problem}", 0, policy.BudgetPerDay, graded);
        }
        // Of several servers over one store, one grades a feature at a time: the others would pay for the same answers.
        var hold = await grades.HoldGradingAsync(feature, cancellationToken).ConfigureAwait(false);
        try
        {
            return await GradeAsync(feature, contract, policy, judge, graded, hold is not null, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            if (hold is not null)
            {
                await hold.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A pass over the feature; it grades only when this server <paramref name="holds"/> its grading.</summary>
    private async Task<JudgeStatus> GradeAsync(
        string feature,
        Contract contract,
        Core.Generative.ModelJudgePolicy policy,
        ModelJudge judge,
        long graded,
        bool holds,
        CancellationToken cancellationToken
    )
    {
        var now = options.Time.GetUtcNow();
        var spent = await grades.ModelSpendAsync(feature, now, cancellationToken).ConfigureAwait(false);
        if (policy.BudgetPerDay is { } budget && spent >= budget)
        {
            return new JudgeStatus(
                JudgeState.BudgetSpent,
                $"Stopped for today: {spent:0.####} of the {budget:0.####} budget_per_day is spent; grading resumes at 00:00 UTC.",
                spent,
                budget,
                graded
            );
        }
        var outputs = holds
            ? await grades
                .OutputsToGradeAsync(feature, policy.Sample, Salt, Batch, cancellationToken)
                .ConfigureAwait(false)
            : [];
        if (outputs.Count > 0)
        {
            var cases = outputs
                .Select(o =>
                {
                    using var inputs = ReviewCases.Parse(o.Inputs);
                    return new JudgeCase(o.Id, ReviewCases.InputText(inputs, contract.Columns.Input) ?? "", o.Output);
                })
                .ToList();
            var run = await judge
                .GradeAsync(contract.Generative!.Rubric, cases, cancellationToken)
                .ConfigureAwait(false);
            var at = options.Time.GetUtcNow();
            var predicted = outputs.ToDictionary(o => o.Id, o => o.PredictedAt, StringComparer.Ordinal);
            // An answer skipped for the budget is not stored, so the output is graded when the budget allows again.
            var kept = run
                .Answers.Where(a => !a.SkippedForBudget)
                .Select(a => new ModelGrade(
                    feature,
                    a.Grade.OutputId,
                    a.Grade.Criterion,
                    a.Grade.Grade,
                    a.Reason,
                    judge.Options.Model,
                    a.Usage.InputTokens,
                    a.Usage.OutputTokens,
                    a.Usage.Cost,
                    a.Usage.Latency,
                    predicted[a.Grade.OutputId],
                    at
                ))
                .ToList();
            await grades.AppendModelGradesAsync(kept, cancellationToken).ConfigureAwait(false);
            graded += kept.Select(g => g.OutputId).Distinct(StringComparer.Ordinal).Count();
            spent = await grades.ModelSpendAsync(feature, at, cancellationToken).ConfigureAwait(false);
            if (policy.BudgetPerDay is { } limit && spent >= limit)
            {
                return new JudgeStatus(
                    JudgeState.BudgetSpent,
                    $"Stopped for today: {spent:0.####} of the {limit:0.####} budget_per_day is spent; grading resumes at 00:00 UTC.",
                    spent,
                    limit,
                    graded
                );
            }
        }
        return new JudgeStatus(
            JudgeState.Grading,
            $"Grading {policy.Sample:0.##%} of new outputs with {judge.Options.Model}"
                + (holds ? "." : " (another server graded them on this pass)."),
            spent,
            policy.BudgetPerDay,
            graded
        );
    }

    /// <summary>The feature's judge, made again when its contract changed; null with the reason when it cannot be made.</summary>
    private (ModelJudge? Judge, string? Problem) JudgeFor(
        string feature,
        Contract contract,
        Core.Generative.ModelJudgePolicy policy
    )
    {
        if (_judges.TryGetValue(feature, out var kept) && ReferenceEquals(kept.Contract, contract))
        {
            return (kept.Judge, kept.Problem);
        }
        (ModelJudge? Judge, string? Problem) made;
        try
        {
            var endpoint = JudgeClients.Resolve(policy, environment.Read);
            var settings = new ModelJudgeOptions
            {
                Model = endpoint.Model,
                BudgetPerDay = policy.BudgetPerDay,
                Time = options.Time,
                RetryDelay = environment.RetryDelay,
            };
            made = (new ModelJudge(JudgeClients.CreateChatClient(endpoint), settings), null);
        }
        catch (JudgeSetupException e)
        {
            made = (null, e.Message);
        }
        _judges[feature] = (contract, made.Judge, made.Problem);
        return made;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Period, options.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "The model judge of {Feature} failed; trying again at the next pass"
    )]
    private static partial void LogJudgeFailed(ILogger logger, string feature, Exception exception);
}

/// <summary>Where the production judge stands for a feature.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JudgeState>))]
public enum JudgeState
{
    /// <summary>It has not looked at the feature yet.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,

    /// <summary>It grades new outputs.</summary>
    [JsonStringEnumMemberName("grading")]
    Grading,

    /// <summary>It grades nothing: the judge cannot be made (a variable is missing, the endpoint is not an address).</summary>
    [JsonStringEnumMemberName("off")]
    Off,

    /// <summary>The day's budget is spent; it resumes at 00:00 UTC.</summary>
    [JsonStringEnumMemberName("budget_spent")]
    BudgetSpent,

    /// <summary>The last pass failed; it tries again at the next.</summary>
    [JsonStringEnumMemberName("failing")]
    Failing,
}

/// <summary>
/// The production judge of a feature: its state, the reason in words, what it spent today (in the price table's
/// currency), the day's budget (null when none) and how many outputs it graded since the server started.
/// </summary>
public sealed record JudgeStatus(JudgeState State, string Reason, double SpentToday, double? BudgetPerDay, long Graded);

/// <summary>
/// Where the production judge reads <c>env:NAME</c> values (the process environment) and how long it waits before
/// retrying a transient failure; tests give their own.
/// </summary>
internal sealed class JudgeEnvironment
{
    /// <summary>Reads a variable.</summary>
    public Func<string, string?> Read { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The first back-off before a retry (doubling after).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
