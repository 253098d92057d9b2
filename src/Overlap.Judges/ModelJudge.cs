using System.Globalization;
using Microsoft.Extensions.AI;
using Overlap.Core.Generative;
using Overlap.Events;

namespace Overlap.Judges;

/// <summary>
/// Grades outputs on a rubric with any <see cref="IChatClient"/>: one call per output and criterion, the prompt built
/// from the criterion's question, scale and examples (<c>JudgePrompt</c>), the answer asked as strict JSON and read
/// strictly. A malformed answer is asked again (<see cref="ModelJudgeOptions.MalformedRetries"/>), then recorded as no
/// verdict; a transient failure (network, timeout, 408, 429, 5xx) is retried with doubling back-off, obeying
/// <c>Retry-After</c>, then recorded as no verdict with the reason. Each answer carries its tokens, cost and latency;
/// answers come from the cache when it has them, and nothing new is asked once the day's budget is spent.
/// </summary>
public sealed partial class ModelJudge
{
    private readonly IChatClient _client;
    private readonly ModelJudgeOptions _options;
    private readonly JudgeBudget? _budget;

    /// <summary>A judge over a chat client.</summary>
    /// <exception cref="JudgeSetupException">A budget is set but the price table does not know the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ModelJudge(IChatClient client, ModelJudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MalformedRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TransientRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        (_client, _options) = (client, options);
        Price = options.Prices.Find(options.Model);
        if (options.BudgetPerDay is { } limit)
        {
            if (!(limit >= 0) || double.IsInfinity(limit))
            {
                throw new JudgeSetupException($"budget_per_day must be a number 0 or above; it is {limit}.");
            }
            if (Price is null)
            {
                throw new JudgeSetupException(
                    $"budget_per_day is set but the price of the model \"{options.Model}\" is unknown, so spending "
                        + "cannot be counted against it: add the model's price per million input and output tokens to "
                        + "the judge's price table, or remove budget_per_day."
                );
            }
            _budget = new JudgeBudget(limit, options.Time);
        }
    }

    /// <summary>The model's price from the table, or null when it is unknown (costs are then unknown too).</summary>
    public ModelPrice? Price { get; }

    /// <summary>The options the judge was made with.</summary>
    public ModelJudgeOptions Options => _options;

    /// <summary>
    /// Grades every case on every criterion, at most <see cref="ModelJudgeOptions.MaxConcurrency"/> calls at once;
    /// the answers are ordered by case, then criterion.
    /// </summary>
    /// <exception cref="JudgeSetupException">The endpoint refused the key or does not know the model.</exception>
    public async Task<JudgeRun> GradeAsync(
        IReadOnlyList<RubricCriterion> criteria,
        IReadOnlyList<JudgeCase> cases,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(cases);
        var work = cases.SelectMany(c => criteria.Select(k => (Case: c, Criterion: k))).ToArray();
        var answers = new JudgeAnswer[work.Length];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.MaxConcurrency,
            CancellationToken = cancellationToken,
        };
        await Parallel
            .ForEachAsync(Enumerable.Range(0, work.Length), parallel, async (i, token) =>
                answers[i] = await GradeAsync(work[i].Criterion, work[i].Case, token)
            )
            .ConfigureAwait(false);
        return new JudgeRun(answers);
    }

    /// <summary>Grades one case on one criterion.</summary>
    /// <exception cref="JudgeSetupException">The endpoint refused the key or does not know the model.</exception>
    public async Task<JudgeAnswer> GradeAsync(
        RubricCriterion criterion,
        JudgeCase @case,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(@case);
        RubricGrade Grade(int? grade) => new(@case.Id, criterion.Name, grade, GradeSource.Model);
        var user = JudgePrompt.User(criterion, @case);
        var key = JudgeCache.Key(
            _options.JudgeId,
            _options.Model,
            JudgePrompt.Version,
            JudgePrompt.System + "\n" + user,
            @case.Output
        );
        if (_options.Cache?.Read(key) is { } cached && JudgeAnswerParser.InRange(cached.Grade, criterion))
        {
            return new JudgeAnswer(Grade(cached.Grade), cached.Reason, JudgeUsage.Zero, FromCache: true);
        }
        if (_budget?.Spent() == true)
        {
            return new JudgeAnswer(Grade(null), BudgetSpent(), JudgeUsage.Zero, SkippedForBudget: true);
        }
        List<ChatMessage> messages = [new(ChatRole.System, JudgePrompt.System), new(ChatRole.User, user)];
        var usage = JudgeUsage.Zero;
        var problem = "";
        var attempts = _options.MalformedRetries + 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1 && _budget?.Spent() == true)
            {
                return new JudgeAnswer(Grade(null), $"no verdict: {problem}, and {BudgetSpent()}", usage);
            }
            var (response, callUsage, failure) = await CallAsync(messages, criterion, cancellationToken)
                .ConfigureAwait(false);
            usage += callUsage;
            if (response is null)
            {
                return new JudgeAnswer(Grade(null), $"no verdict: {failure}", usage);
            }
            if (JudgeAnswerParser.Parse(response.Text, criterion, out problem) is { } answer)
            {
                _options.Cache?.Write(key, answer.Grade, answer.Reason);
                return new JudgeAnswer(Grade(answer.Grade), answer.Reason, usage);
            }
            messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            messages.Add(new ChatMessage(ChatRole.User, JudgePrompt.Again(problem, criterion)));
        }
        var times = attempts == 1 ? "once" : $"{attempts} times";
        return new JudgeAnswer(Grade(null), $"no verdict: asked {times}, {problem} each time", usage);
    }

    private string BudgetSpent() =>
        "the day's budget of "
        + _budget!.Limit.ToString("0.00##", CultureInfo.InvariantCulture)
        + " is spent, so it was not graded";
}
