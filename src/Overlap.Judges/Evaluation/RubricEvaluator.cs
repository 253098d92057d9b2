using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Overlap.Core.Generative;

namespace Overlap.Judges.Evaluation;

/// <summary>
/// The rubric's model judge as a Microsoft.Extensions.AI.Evaluation evaluator: one <see cref="NumericMetric"/> per
/// criterion, named after it, holding the grade (1/0 on pass/fail, 1–5 on a scale) and the judge's reason, with an
/// interpretation that fails when the grade does not pass. A criterion with no verdict has no value, an
/// <see cref="EvaluationRating.Inconclusive"/> interpretation and an error diagnostic saying why. Each metric's
/// metadata carries the call's tokens, cost (when known), latency and whether it came from the cache. The input
/// graded is the text of the user messages; a reference answer is passed as <see cref="RubricReference"/>.
/// </summary>
public sealed class RubricEvaluator : IEvaluator
{
    private readonly ModelJudge _judge;
    private readonly IReadOnlyList<RubricCriterion> _criteria;

    /// <summary>An evaluator asking <paramref name="judge"/> about each of <paramref name="criteria"/>.</summary>
    public RubricEvaluator(ModelJudge judge, IEnumerable<RubricCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(criteria);
        (_judge, _criteria) = (judge, [.. criteria]);
        EvaluationMetricNames = [.. _criteria.Select(c => c.Name)];
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <inheritdoc />
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        var input = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
        var reference = additionalContext?.OfType<RubricReference>().FirstOrDefault()?.Reference;
        var @case = new JudgeCase("output", input, modelResponse.Text, reference);
        var run = await _judge.GradeAsync(_criteria, [@case], cancellationToken).ConfigureAwait(false);
        return new EvaluationResult(_criteria.Zip(run.Answers, Metric));
    }

    private static NumericMetric Metric(RubricCriterion criterion, JudgeAnswer answer)
    {
        var metric = new NumericMetric(criterion.Name, answer.Grade.Grade, answer.Reason);
        if (answer.Grade.Grade is { } grade)
        {
            var passes = criterion.Passes(grade);
            var needed = criterion.Scale == RubricScale.PassFail ? "1" : $"{criterion.PassAt} or above";
            metric.Interpretation = new EvaluationMetricInterpretation(
                Rating(criterion, grade),
                failed: !passes,
                reason: $"grade {grade} {(passes ? "passes" : "fails")} {criterion.Name} (a pass needs {needed})"
            );
        }
        else
        {
            metric.Interpretation = new EvaluationMetricInterpretation(
                EvaluationRating.Inconclusive,
                failed: false,
                reason: answer.Reason
            );
            metric.AddDiagnostics(EvaluationDiagnostic.Error(answer.Reason));
        }
        var usage = answer.Usage;
        metric.AddOrUpdateMetadata("input_tokens", Text(usage.InputTokens));
        metric.AddOrUpdateMetadata("output_tokens", Text(usage.OutputTokens));
        metric.AddOrUpdateMetadata("cost", usage.Cost?.ToString("R", CultureInfo.InvariantCulture) ?? "unknown");
        metric.AddOrUpdateMetadata(
            "latency_ms",
            usage.Latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)
        );
        metric.AddOrUpdateMetadata("from_cache", answer.FromCache ? "true" : "false");
        return metric;
    }

    private static string Text(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static EvaluationRating Rating(RubricCriterion criterion, int grade) =>
        criterion.Scale == RubricScale.PassFail
            ? (grade == 1 ? EvaluationRating.Good : EvaluationRating.Unacceptable)
            : grade switch
            {
                5 => EvaluationRating.Exceptional,
                4 => EvaluationRating.Good,
                3 => EvaluationRating.Average,
                2 => EvaluationRating.Poor,
                _ => EvaluationRating.Unacceptable,
            };
}
