using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Overlap.Judges.Evaluation;
using Overlap.Tests.Shared;
using static Overlap.Judges.Tests.JudgeFixture;

namespace Overlap.Judges.Tests;

/// <summary>The rubric judge as a Microsoft.Extensions.AI.Evaluation evaluator, and evaluators used as checks.</summary>
public sealed class EvaluationTests : IAsyncLifetime
{
    private OpenAiStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private RubricEvaluator Evaluator() => new(Judge(_standIn), [Factual, Tone]);

    [Fact]
    public async Task RubricEvaluator_GivesOneNumericMetricPerCriterion()
    {
        _standIn.Rule = r =>
            r.LastUser.Contains("Criterion: factual", StringComparison.Ordinal)
                ? StandInReply.Grade(1, "Supported.")
                : StandInReply.Grade(3, "A little curt.");

        var result = await Evaluator()
            .EvaluateAsync(
                [new ChatMessage(ChatRole.User, "Where is my parcel?")],
                new ChatResponse(new ChatMessage(ChatRole.Assistant, "Parcel shipped.")),
                additionalContext: [new RubricReference("Hi Ana, the parcel shipped today.")]
            );

        var factual = result.Get<NumericMetric>("factual");
        Assert.Equal(1, factual.Value);
        Assert.Equal("Supported.", factual.Reason);
        Assert.False(factual.Interpretation!.Failed);
        Assert.Equal(EvaluationRating.Good, factual.Interpretation.Rating);
        var tone = result.Get<NumericMetric>("tone");
        Assert.Equal(3, tone.Value);
        Assert.True(tone.Interpretation!.Failed);
        Assert.Equal(EvaluationRating.Average, tone.Interpretation.Rating);
        Assert.Equal("grade 3 fails tone (a pass needs 4 or above)", tone.Interpretation.Reason);
        Assert.Equal("120", tone.Metadata!["input_tokens"]);
        Assert.Equal("false", tone.Metadata["from_cache"]);
        Assert.All(_standIn.Requests, b => Assert.Contains("Hi Ana, the parcel shipped today.", b.GetRawText()));
        Assert.Equal(["factual", "tone"], Evaluator().EvaluationMetricNames);
    }

    [Fact]
    public async Task RubricEvaluator_NoVerdict_IsInconclusiveWithAnErrorDiagnostic()
    {
        _standIn.Rule = _ => StandInReply.Text("I think it is fine.");

        var result = await Evaluator().EvaluateAsync("Where is my parcel?", "Parcel shipped.");

        var factual = result.Get<NumericMetric>("factual");
        Assert.Null(factual.Value);
        Assert.Equal(EvaluationRating.Inconclusive, factual.Interpretation!.Rating);
        var diagnostic = Assert.Single(factual.Diagnostics!);
        Assert.Equal(EvaluationDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("no verdict: asked 2 times, the answer was not one JSON object each time", diagnostic.Message);
    }

    [Fact]
    public async Task EvaluatorCheck_OnANumericMetric_JudgesItAgainstTheBar()
    {
        _standIn.Rule = r =>
            StandInReply.Grade(r.LastUser.Contains("<<<\nHello", StringComparison.Ordinal) ? 5 : 3, "rule");
        var check = new EvaluatorCheck(Evaluator(), "tone", min: 4);

        var warm = await check.CheckAsync("Where is my parcel?", "Hello Ana, it shipped.");
        var curt = await check.CheckAsync("Where is my parcel?", "Shipped.");

        Assert.Equal(new EvaluatorCheckResult(true, 5, "tone is 5, within the bar (at least 4)"), warm);
        Assert.Equal(new EvaluatorCheckResult(false, 3, "tone is 3, outside the bar (at least 4)"), curt);
    }

    [Fact]
    public async Task EvaluatorCheck_WithoutThreshold_UsesTheEvaluatorsInterpretation()
    {
        _standIn.Rule = _ => StandInReply.Grade(0, "Invented a date.");

        var result = await new EvaluatorCheck(Evaluator(), "factual").CheckAsync("q", "It ships May 2.");

        Assert.Equal(new EvaluatorCheckResult(false, 0, "grade 0 fails factual (a pass needs 1)"), result);
    }

    [Fact]
    public async Task EvaluatorCheck_NoVerdict_IsNoVerdict()
    {
        _standIn.Rule = _ => StandInReply.Failure(500);
        var judge = Judge(_standIn, new ModelJudgeOptions { Model = "gpt-4o-mini", TransientRetries = 0 });

        var result = await new EvaluatorCheck(new RubricEvaluator(judge, [Factual]), "factual", min: 1).CheckAsync(
            "q",
            "a"
        );

        Assert.Equal(
            new EvaluatorCheckResult(
                null,
                null,
                "factual has no value: no verdict: the endpoint failed once (HTTP 500)"
            ),
            result
        );
    }

    [Fact]
    public async Task EvaluatorCheck_OnABooleanMetric_TakesItAsIs()
    {
        var check = new EvaluatorCheck(new MentionsReference(), "mentions_reference");

        var yes = await check.CheckAsync(
            "q",
            "Your parcel 1142 shipped.",
            additionalContext: [new RubricReference("1142")]
        );
        var no = await check.CheckAsync("q", "It shipped.", additionalContext: [new RubricReference("1142")]);

        Assert.Equal(new EvaluatorCheckResult(true, 1, "mentions_reference is true"), yes);
        Assert.Equal(new EvaluatorCheckResult(false, 0, "mentions_reference is false"), no);
    }

    [Fact]
    public void EvaluatorCheck_UnknownMetric_NamesTheOnesThereAre()
    {
        var e = Assert.Throws<ArgumentException>(() => new EvaluatorCheck(Evaluator(), "polite"));

        Assert.StartsWith(
            "The evaluator RubricEvaluator has no metric named \"polite\"; it has: \"factual\", \"tone\".",
            e.Message
        );
    }

    /// <summary>A team's own evaluator: does the output contain the reference text?</summary>
    private sealed class MentionsReference : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames { get; } = ["mentions_reference"];

        public ValueTask<EvaluationResult> EvaluateAsync(
            IEnumerable<ChatMessage> messages,
            ChatResponse modelResponse,
            ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null,
            CancellationToken cancellationToken = default
        )
        {
            var reference = additionalContext!.OfType<RubricReference>().Single().Reference;
            var metric = new BooleanMetric(
                "mentions_reference",
                modelResponse.Text.Contains(reference, StringComparison.Ordinal)
            );
            return ValueTask.FromResult(new EvaluationResult(metric));
        }
    }
}
