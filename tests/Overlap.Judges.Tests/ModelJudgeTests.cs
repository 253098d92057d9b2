using System.Text.Json;
using Overlap.Core.Generative;
using Overlap.Tests.Shared;
using static Overlap.Judges.Tests.JudgeFixture;

namespace Overlap.Judges.Tests;

/// <summary>
/// The model judge through the real Microsoft.Extensions.AI.OpenAI client against an in-process stand-in that answers
/// as OpenAI's Chat Completions API does: the request it sends, strict parsing, retries, no verdict, tokens and cost.
/// </summary>
public sealed class ModelJudgeTests : IAsyncLifetime
{
    private OpenAiStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    [Fact]
    public async Task GradeAsync_SendsTheRubricPromptAndAsksForStrictJson()
    {
        _standIn.Rule = _ => StandInReply.Grade(1, "Every fact is in the ticket.");

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        var body = Assert.Single(_standIn.Requests);
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        var request = new StandInRequest(body, 0);
        Assert.Equal("system", request.Messages[0].GetProperty("role").GetString());
        Assert.Contains("Answer with one JSON object and nothing else", StandInRequest.Text(request.Messages[0]));
        Assert.Equal(
            """
            Criterion: factual
            Question: Is every fact in the reply supported by the ticket?
            Scale: pass_fail: grade 1 if the output meets the criterion, 0 if it does not.
            An output that meets the criterion:
            <<<
            Your order 1142 shipped on May 2.
            >>>
            An output that was rejected on this criterion:
            <<<
            We guarantee a refund within the hour.
            >>>
            Input given to the feature:
            <<<
            Where is my parcel?
            >>>
            Reference answer:
            <<<
            Hi Ana, the parcel shipped today.
            >>>
            Output to grade:
            <<<
            Hello Ana, your parcel left our warehouse today.
            >>>
            Answer with exactly this JSON object: {"grade": 1 or 0, "reason": "one sentence saying why"}

            """.ReplaceLineEndings("\n"),
            request.LastUser.ReplaceLineEndings("\n")
        );
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema").GetProperty("schema");
        Assert.Equal(
            "[0,1]",
            JsonSerializer.Serialize(schema.GetProperty("properties").GetProperty("grade").GetProperty("enum"))
        );
        Assert.Equal(new RubricGrade("t1", "factual", 1, GradeSource.Model), answer.Grade);
        Assert.Equal("Every fact is in the ticket.", answer.Reason);
    }

    [Fact]
    public async Task GradeAsync_RecordsTokensCostAndLatencyFromTheAnswer()
    {
        _standIn.Rule = _ => StandInReply.Grade(4, "Warm.") with { PromptTokens = 1_000, CompletionTokens = 200 };

        var answer = await Judge(_standIn).GradeAsync(Tone, Case("t1"));

        Assert.Equal(4, answer.Grade.Grade);
        Assert.Equal(1_000, answer.Usage.InputTokens);
        Assert.Equal(200, answer.Usage.OutputTokens);
        // gpt-4o-mini at 0.15 per million input tokens and 0.60 per million output tokens.
        Assert.Equal((1_000 * 0.15 + 200 * 0.60) / 1_000_000, answer.Usage.Cost!.Value, 15);
        Assert.Equal(1, answer.Usage.Calls);
        Assert.True(answer.Usage.Latency > TimeSpan.Zero);
        Assert.Equal(
            "1 call, 1,000 input and 200 output tokens, cost 0.0003 USD, 1.5 s waiting",
            (answer.Usage with { Latency = TimeSpan.FromSeconds(1.5) }).Describe("USD")
        );
    }

    [Fact]
    public async Task GradeAsync_ModelWithoutPrice_CostIsUnknownNotZero()
    {
        var answer = await Judge(_standIn, model: "llama3.1:8b").GradeAsync(Factual, Case("t1"));

        Assert.Equal(120, answer.Usage.InputTokens);
        Assert.Null(answer.Usage.Cost);
        Assert.Null(Judge(_standIn, model: "llama3.1:8b").Price);
        Assert.Equal(
            "1 call, 120 input and 15 output tokens, cost unknown (the price table has no price for the model, or the "
                + "tokens were not reported), 0.0 s waiting",
            (answer.Usage with { Latency = TimeSpan.FromMilliseconds(20) }).Describe()
        );
    }

    [Fact]
    public async Task GradeAsync_MalformedThenGood_AsksAgainSayingWhatWasWrong()
    {
        _standIn.Rule = r =>
            r.Index == 0
                ? StandInReply.Text("```json\n{\"grade\": 1, \"reason\": \"ok\"}\n```")
                : StandInReply.Grade(0, "A fact is missing.");

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        Assert.Equal(0, answer.Grade.Grade);
        Assert.Equal(2, _standIn.Requests.Count);
        var second = new StandInRequest(_standIn.Requests[1], 1);
        Assert.Equal(4, second.Messages.Count);
        Assert.Equal("assistant", second.Messages[2].GetProperty("role").GetString());
        Assert.StartsWith(
            "That answer was not in the asked form (the answer was not one JSON object)",
            second.LastUser
        );
        Assert.Equal(240, answer.Usage.InputTokens);
        Assert.Equal(2, answer.Usage.Calls);
    }

    [Fact]
    public async Task GradeAsync_AlwaysMalformed_IsNoVerdictNeverAGuess()
    {
        _standIn.Rule = _ => StandInReply.Text("""{"grade": 7, "reason": "very good"}""");

        var answer = await Judge(_standIn, new ModelJudgeOptions { Model = "gpt-4o-mini", MalformedRetries = 2 })
            .GradeAsync(Tone, Case("t1"));

        Assert.Null(answer.Grade.Grade);
        Assert.False(answer.HasVerdict);
        Assert.Equal(3, _standIn.Requests.Count);
        Assert.Equal(
            "no verdict: asked 3 times, \"grade\" must be a whole number from 1 to 5, it was 7 each time",
            answer.Reason
        );
    }

    [Fact]
    public async Task GradeAsync_ServerErrorThenAnswer_IsRetried()
    {
        _standIn.Rule = r => r.Index == 0 ? StandInReply.Failure(500) : StandInReply.Grade(1, "ok");

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        Assert.Equal(1, answer.Grade.Grade);
        Assert.Equal(2, _standIn.Requests.Count);
        Assert.Equal(2, answer.Usage.Calls);
        Assert.Equal(120, answer.Usage.InputTokens);
    }

    [Fact]
    public async Task GradeAsync_ServerKeepsFailing_IsNoVerdictWithTheReason()
    {
        _standIn.Rule = _ => StandInReply.Failure(503);

        var answer = await Judge(_standIn, new ModelJudgeOptions { Model = "gpt-4o-mini", TransientRetries = 2 })
            .GradeAsync(Factual, Case("t1"));

        Assert.Null(answer.Grade.Grade);
        Assert.Equal(3, _standIn.Requests.Count);
        Assert.Equal("no verdict: the endpoint failed 3 times (HTTP 503)", answer.Reason);
        Assert.Equal(0, answer.Usage.Cost);
    }

    [Fact]
    public async Task GradeAsync_RateLimited_WaitsAsRetryAfterSays()
    {
        _standIn.Rule = r => r.Index == 0 ? StandInReply.Failure(429, retryAfter: "1") : StandInReply.Grade(1, "ok");

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        Assert.Equal(1, answer.Grade.Grade);
        var arrivals = _standIn.Arrivals;
        Assert.Equal(2, arrivals.Count);
        // The back-off alone would wait 20 ms; the header asks for a second.
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromMilliseconds(950), $"waited {arrivals[1] - arrivals[0]}");
    }

    [Fact]
    public async Task GradeAsync_RetryAfterLongerThanAllowed_StopsAtOnce()
    {
        _standIn.Rule = _ => StandInReply.Failure(429, retryAfter: "3600");

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        Assert.Single(_standIn.Requests);
        Assert.Equal(
            "no verdict: the endpoint failed (HTTP 429) and asked to wait 3600 s, longer than the 60 s allowed",
            answer.Reason
        );
    }

    [Fact]
    public async Task GradeAsync_KeyRefused_StopsWithASetupErrorWithoutTheKey()
    {
        _standIn.Rule = _ => StandInReply.Failure(401);

        var e = await Assert.ThrowsAsync<JudgeSetupException>(() => Judge(_standIn).GradeAsync(Factual, Case("t1")));

        Assert.StartsWith("The judge endpoint refused the key (HTTP 401)", e.Message);
        Assert.DoesNotContain("sk-test-secret", e.Message);
        Assert.Single(_standIn.Requests);
    }

    [Fact]
    public async Task GradeAsync_EndpointUnreachable_IsRetriedThenNoVerdict()
    {
        var closed = _standIn.Endpoint;
        await _standIn.DisposeAsync();
        _standIn = await OpenAiStandIn.StartAsync();
        var policy = new ModelJudgePolicy { Endpoint = closed.ToString(), Model = "gpt-4o-mini" };
        var options = new ModelJudgeOptions
        {
            Model = "gpt-4o-mini",
            TransientRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };
        var judge = new ModelJudge(JudgeClients.CreateChatClient(JudgeClients.Resolve(policy)), options);

        var answer = await judge.GradeAsync(Factual, Case("t1"));

        Assert.Null(answer.Grade.Grade);
        Assert.StartsWith("no verdict: the endpoint failed 2 times (could not reach it: ", answer.Reason);
        Assert.Equal(2, answer.Usage.Calls);
    }

    [Fact]
    public async Task GradeAsync_BadRequest_IsNoVerdictWithoutRetry()
    {
        _standIn.Rule = _ => StandInReply.Failure(400);

        var answer = await Judge(_standIn).GradeAsync(Factual, Case("t1"));

        Assert.Single(_standIn.Requests);
        Assert.Null(answer.Grade.Grade);
        Assert.StartsWith("no verdict: the endpoint refused the request (HTTP 400", answer.Reason);
    }

    [Fact]
    public async Task GradeAsync_Many_FollowsARuleOverThePrompt_InCaseThenCriterionOrder()
    {
        // The stand-in passes a reply on factual unless it promises a refund, and grades tone 5 when it greets.
        _standIn.Rule = r =>
            r.LastUser.Contains("Criterion: factual", StringComparison.Ordinal)
                ? StandInReply.Grade(
                    r.LastUser.Contains("guarantee a refund\n>>>\nAnswer", StringComparison.Ordinal) ? 0 : 1,
                    "rule"
                )
                : StandInReply.Grade(r.LastUser.Contains("<<<\nHello", StringComparison.Ordinal) ? 5 : 2, "rule");
        JudgeCase[] cases = [Case("a"), Case("b", "We guarantee a refund"), Case("c", "Parcel shipped.")];

        var run = await Judge(_standIn).GradeAsync([Factual, Tone], cases);

        Assert.Equal(
            [
                ("a", "factual", 1),
                ("a", "tone", 5),
                ("b", "factual", 0),
                ("b", "tone", 2),
                ("c", "factual", 1),
                ("c", "tone", 2),
            ],
            run.Grades.Select(g => (g.OutputId, g.Criterion, g.Grade!.Value))
        );
        Assert.Equal(6, _standIn.Requests.Count);
        Assert.Equal(6 * 120, run.Usage.InputTokens);
        Assert.Equal(0, run.NoVerdict);
    }

    [Fact]
    public async Task GradeAsync_Many_RunsAtMostMaxConcurrencyCallsAtOnce()
    {
        _standIn.Delay = TimeSpan.FromMilliseconds(150);
        var cases = Enumerable.Range(0, 12).Select(i => Case($"c{i}")).ToList();

        var run = await Judge(_standIn, new ModelJudgeOptions { Model = "gpt-4o-mini", MaxConcurrency = 3 })
            .GradeAsync([Factual], cases);

        Assert.Equal(12, run.Answers.Count(a => a.HasVerdict));
        Assert.InRange(_standIn.MostAtOnce, 2, 3);
    }
}
