using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Monitoring;
using Overlap.Core.Text;
using Overlap.Events;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>
/// A generative feature's window figures: its stored outputs with the feedback given on them, the grades from
/// <see cref="IRubricGradeSource"/> (the model's counting only on criteria where it agreed with people over the last
/// 30 days), judged by Core's generative evaluation (<see cref="GenerativeWindowMonitor"/>), and the settled review
/// decisions on the window's outputs counted by failure category.
/// </summary>
internal sealed class GenerativeWindows(
    IEventReader events,
    IRubricGradeSource grades,
    IReviewStore reviews,
    ITextEmbedder embedder,
    ServerOptions options
)
{
    /// <summary>How long after a window feedback on its outputs is still counted.</summary>
    public static readonly TimeSpan FeedbackGrace = TimeSpan.FromDays(7);

    /// <summary>The period the model judge's agreement with people is measured over.</summary>
    public static readonly TimeSpan TrustPeriod = TimeSpan.FromDays(30);

    /// <summary><paramref name="report"/> with the window's generative figures and evaluation.</summary>
    public async Task<WindowReport> AddAsync(
        Contract contract,
        WindowReport report,
        EvaluationOptions evaluation,
        CancellationToken cancellationToken
    )
    {
        var now = options.Time.GetUtcNow();
        var outputs = await OutputsAsync(contract, report.Start, report.End, now, cancellationToken)
            .ConfigureAwait(false);
        var windowGrades =
            outputs.Count == 0
                ? []
                : await grades
                    .GradesAsync(contract.Feature, report.Start, report.End, cancellationToken)
                    .ConfigureAwait(false);
        var trust = await TrustAsync(contract, now, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(string, string?)> settled =
            outputs.Count == 0 || contract.Review?.FailureCategories is not { Count: > 0 }
                ? []
                :
                [
                    .. (
                        await reviews.SettledReviewsAsync(contract.Feature, cancellationToken).ConfigureAwait(false)
                    ).Select(r => (r.PredictionId, r.Category)),
                ];
        var needsEmbedder = contract.Generative!.Checks.Any(c => c.Kind == OutputCheckKind.SimilarTo);
        var (window, judged) = GenerativeWindowMonitor.Summarize(
            contract,
            outputs,
            windowGrades,
            trust,
            evaluation with
            {
                Generative = (evaluation.Generative ?? new GenerativeOptions()) with
                {
                    Embedder = needsEmbedder && outputs.Count > 0 ? embedder : null,
                },
            },
            settled
        );
        return report with { Generative = window with { Grades = windowGrades.Count }, Evaluation = judged };
    }

    /// <summary>
    /// Whether the outputs of a stored window's report have been graded since it was judged (people or the model judge
    /// gave grades, which add no event): then it is judged again.
    /// </summary>
    public async Task<bool> GradedSinceAsync(string feature, WindowReport stored, CancellationToken cancellationToken)
    {
        var now = await grades.GradesAsync(feature, stored.Start, stored.End, cancellationToken).ConfigureAwait(false);
        return now.Count != (stored.Generative?.Grades ?? 0);
    }

    /// <summary>
    /// The model judge's agreement with people per criterion over the <see cref="TrustPeriod"/> before
    /// <paramref name="now"/>; empty when the contract has no rubric.
    /// </summary>
    public async Task<IReadOnlyList<JudgeAgreement>> TrustAsync(
        Contract contract,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var spec = contract.Generative!;
        if (spec.Rubric.Count == 0)
        {
            return [];
        }
        var all = await grades
            .GradesAsync(contract.Feature, now - TrustPeriod, now, cancellationToken)
            .ConfigureAwait(false);
        return JudgeAgreement.Of(
            spec.Rubric,
            all,
            spec.Judges?.MinAgreement ?? new JudgesPolicy().MinAgreement,
            contract.Confidence
        );
    }

    private async Task<List<GenerativeOutput>> OutputsAsync(
        Contract contract,
        DateTimeOffset from,
        DateTimeOffset to,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var until = to + FeedbackGrace < now ? to + FeedbackGrace : now;
        var stored = await events
            .ReadEventsAsync(contract.Feature, from, until > to ? until : to, cancellationToken)
            .ConfigureAwait(false);
        var kinds = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var edits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var f in stored.OfType<FeedbackEvent>())
        {
            if (!kinds.TryGetValue(f.PredictionId, out var set))
            {
                kinds[f.PredictionId] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(f.FeedbackKind);
            if (f is { FeedbackKind: FeedbackKinds.Edited, EditDistance: { } distance })
            {
                edits[f.PredictionId] = distance;
            }
        }
        return
        [
            .. stored
                .OfType<PredictionEvent>()
                .Where(p => p.Time < to)
                .Select(p => new GenerativeOutput
                {
                    Id = p.Id,
                    Output = p.Output,
                    ConversationId = p.ConversationId,
                    ModelVersion = p.ModelVersion,
                    Model = p.Model,
                    Tokens =
                        p.InputTokens is null && p.OutputTokens is null
                            ? null
                            : (p.InputTokens ?? 0) + (p.OutputTokens ?? 0),
                    Cost = p.Cost,
                    LatencyMs = p.LatencyMs,
                    Fields = Fields(p, contract.Columns.Input),
                    Feedback = kinds.GetValueOrDefault(p.Id) ?? [],
                    EditDistance = edits.TryGetValue(p.Id, out var d) ? d : null,
                }),
        ];
    }

    /// <summary>
    /// The output's attributes and inputs by name; the contract's input column, when the inputs do not carry it, is
    /// what the call was asked (the last user message <c>UseOverlap()</c> and OTLP record), so checks, the worst outputs
    /// and the judge read the same text.
    /// </summary>
    private static Dictionary<string, string?> Fields(PredictionEvent p, string? inputColumn)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in ReviewFields.Pairs(p.AttributesJson).Concat(ReviewFields.Pairs(p.InputsJson)))
        {
            fields.TryAdd(name, value);
        }
        if (inputColumn is not null && !fields.ContainsKey(inputColumn) && p.InputsJson is { } inputs)
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(inputs);
                fields[inputColumn] = ReviewCases.InputText(document, inputColumn);
            }
            catch (System.Text.Json.JsonException)
            {
                // Inputs that are not JSON have no messages to read: the column stays absent.
            }
        }
        return fields;
    }
}
