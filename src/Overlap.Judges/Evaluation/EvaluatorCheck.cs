using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Overlap.Judges.Evaluation;

/// <summary>
/// Any Microsoft.Extensions.AI.Evaluation evaluator a team already has, used as a pass/fail check: one of its
/// metrics read on each output. A <see cref="BooleanMetric"/> passes when true. A <see cref="NumericMetric"/> passes
/// when it is at least <see cref="Min"/> and at most <see cref="Max"/> (when one is given), else by the
/// evaluator's own interpretation. A metric with no value, or with neither threshold nor interpretation, gives no
/// verdict with the reason.
/// </summary>
public sealed class EvaluatorCheck
{
    private readonly IEvaluator _evaluator;

    /// <summary>A check on <paramref name="metric"/> of <paramref name="evaluator"/>.</summary>
    /// <exception cref="ArgumentException">The evaluator has no metric of that name, or min is above max.</exception>
    public EvaluatorCheck(IEvaluator evaluator, string metric, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (!evaluator.EvaluationMetricNames.Contains(metric, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The evaluator {evaluator.GetType().Name} has no metric named \"{metric}\"; it has: "
                    + string.Join(", ", evaluator.EvaluationMetricNames.Select(n => $"\"{n}\""))
                    + ".",
                nameof(metric)
            );
        }
        if (min > max)
        {
            throw new ArgumentException($"The check's min ({min}) is above its max ({max}).", nameof(min));
        }
        (_evaluator, Metric, Min, Max) = (evaluator, metric, min, max);
    }

    /// <summary>The metric read.</summary>
    public string Metric { get; }

    /// <summary>The lowest passing value of a numeric metric, if set.</summary>
    public double? Min { get; }

    /// <summary>The highest passing value of a numeric metric, if set.</summary>
    public double? Max { get; }

    /// <summary>Runs the evaluator on one output and reads the metric.</summary>
    public async Task<EvaluatorCheckResult> CheckAsync(
        string input,
        string output,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var result = await _evaluator
            .EvaluateAsync(
                [new ChatMessage(ChatRole.User, input)],
                new ChatResponse(new ChatMessage(ChatRole.Assistant, output)),
                chatConfiguration,
                additionalContext,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!result.Metrics.TryGetValue(Metric, out var metric))
        {
            return new EvaluatorCheckResult(null, null, $"the evaluator gave no \"{Metric}\" metric for this output");
        }
        return Read(metric);
    }

    private EvaluatorCheckResult Read(EvaluationMetric metric)
    {
        var interpretation = metric.Interpretation;
        switch (metric)
        {
            case BooleanMetric { Value: { } yes }:
                return new EvaluatorCheckResult(yes, yes ? 1 : 0, $"{Metric} is {(yes ? "true" : "false")}");
            case BooleanMetric or NumericMetric { Value: null }:
                return new EvaluatorCheckResult(
                    null,
                    null,
                    $"{Metric} has no value: {metric.Reason ?? "no reason given"}"
                );
            case NumericMetric { Value: { } value } when Min is not null || Max is not null:
                var passed = (Min is null || value >= Min) && (Max is null || value <= Max);
                return new EvaluatorCheckResult(passed, value, $"{Metric} is {Number(value)}, {Bounds(passed)}");
            case NumericMetric { Value: { } value }:
                return interpretation is null
                    ? new EvaluatorCheckResult(
                        null,
                        value,
                        $"{Metric} is a number with no bar: give the check a min or a max"
                    )
                    : new EvaluatorCheckResult(
                        !interpretation.Failed,
                        value,
                        interpretation.Reason ?? $"{Metric} is {Number(value)}"
                    );
            default:
                return interpretation is null
                    ? new EvaluatorCheckResult(
                        null,
                        null,
                        $"{Metric} is neither a number nor yes/no, and the evaluator does not interpret it"
                    )
                    : new EvaluatorCheckResult(!interpretation.Failed, null, interpretation.Reason ?? Metric);
        }
    }

    private string Bounds(bool passed)
    {
        var bounds = (Min, Max) switch
        {
            ({ } low, { } high) => $"between {Number(low)} and {Number(high)}",
            ({ } low, null) => $"at least {Number(low)}",
            (null, { } high) => $"at most {Number(high)}",
            _ => "",
        };
        return passed ? $"within the bar ({bounds})" : $"outside the bar ({bounds})";
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
