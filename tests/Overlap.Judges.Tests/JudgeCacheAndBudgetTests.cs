using Microsoft.Extensions.Time.Testing;
using Overlap.Events;
using Overlap.Tests.Shared;
using static Overlap.Judges.Tests.JudgeFixture;

namespace Overlap.Judges.Tests;

/// <summary>The judge's disk cache and daily budget, through the real OpenAI client and the stand-in.</summary>
public sealed class JudgeCacheAndBudgetTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Path.Combine(
        Path.GetTempPath(),
        "overlap-judge-cache-" + Guid.NewGuid().ToString("N")
    );
    private OpenAiStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private ModelJudgeOptions Cached(string judgeId = "model") =>
        new()
        {
            Model = "gpt-4o-mini",
            JudgeId = judgeId,
            Cache = new JudgeCache(_folder),
        };

    [Fact]
    public async Task ReRun_IsAnsweredFromTheCache_WithNoRequestAndNoCost()
    {
        _standIn.Rule = _ => StandInReply.Grade(4, "Warm enough.");
        JudgeCase[] cases = [Case("a"), Case("b", "Parcel shipped.")];
        var first = await Judge(_standIn, Cached()).GradeAsync([Tone], cases);

        var second = await Judge(_standIn, Cached()).GradeAsync([Tone], cases);

        Assert.Equal(2, _standIn.Requests.Count);
        Assert.Equal(first.Grades, second.Grades);
        Assert.Equal(2, second.FromCache);
        Assert.Equal(JudgeUsage.Zero, second.Usage);
        Assert.Equal("Warm enough.", second.Answers[0].Reason);
        Assert.Equal(240, first.Usage.InputTokens);
    }

    [Fact]
    public async Task ACacheThatCannotBeWritten_CostsTheCacheOnly_NotTheGrade()
    {
        // The cache's folder is a file: nothing can be kept there.
        Directory.CreateDirectory(_folder);
        var blocked = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocked, "not a folder");
        _standIn.Rule = _ => StandInReply.Grade(1, "Supported.");
        var options = new ModelJudgeOptions { Model = "gpt-4o-mini", Cache = new JudgeCache(blocked) };

        var answer = await Judge(_standIn, options).GradeAsync(Factual, Case("a"));

        Assert.Equal(1, answer.Grade.Grade);
        Assert.False(answer.FromCache);
    }

    [Fact]
    public async Task Cache_IsKeyedByJudgeAndOutput()
    {
        await Judge(_standIn, Cached()).GradeAsync(Tone, Case("a"));

        await Judge(_standIn, Cached("other-judge")).GradeAsync(Tone, Case("a"));
        await Judge(_standIn, Cached()).GradeAsync(Tone, Case("a", "A different output."));
        await Judge(_standIn, Cached()).GradeAsync(Factual, Case("a"));

        Assert.Equal(4, _standIn.Requests.Count);
    }

    [Fact]
    public async Task NoVerdict_IsNotCached()
    {
        _standIn.Rule = r => r.Index < 2 ? StandInReply.Text("not json") : StandInReply.Grade(1, "ok");
        var first = await Judge(_standIn, Cached()).GradeAsync(Factual, Case("a"));

        var second = await Judge(_standIn, Cached()).GradeAsync(Factual, Case("a"));

        Assert.Null(first.Grade.Grade);
        Assert.Equal(1, second.Grade.Grade);
        Assert.False(second.FromCache);
    }

    [Theory]
    [InlineData("{\"grade\": 4, \"rea")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{\"grade\": 9, \"reason\": \"off the scale\"}")]
    public async Task CorruptEntry_IsIgnoredAndRewritten(string corrupt)
    {
        _standIn.Rule = _ => StandInReply.Grade(5, "Lovely.");
        await Judge(_standIn, Cached()).GradeAsync(Tone, Case("a"));
        var file = Assert.Single(Directory.GetFiles(_folder, "*.json", SearchOption.AllDirectories));
        await File.WriteAllTextAsync(file, corrupt);

        var again = await Judge(_standIn, Cached()).GradeAsync(Tone, Case("a"));
        var third = await Judge(_standIn, Cached()).GradeAsync(Tone, Case("a"));

        Assert.Equal(5, again.Grade.Grade);
        Assert.False(again.FromCache);
        Assert.True(third.FromCache);
        Assert.Equal(2, _standIn.Requests.Count);
        Assert.Equal("{\"grade\":5,\"reason\":\"Lovely.\"}", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public void Key_IsSha256OfTheParts()
    {
        var key = JudgeCache.Key("model", "gpt-4o-mini", 1, "prompt", "output");

        // The parts joined by the unit separator, hashed by coreutils' sha256sum.
        Assert.Equal(Sha256("model\u001fgpt-4o-mini\u001f1\u001fprompt\u001foutput"), key);
        Assert.NotEqual(key, JudgeCache.Key("model", "gpt-4o-mini", 2, "prompt", "output"));
    }

    private static string Sha256(string text)
    {
        using var process = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo("sha256sum")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            }
        )!;
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0];
    }

    [Fact]
    public async Task Budget_StopsGradingOnceSpent_CountsTheSkipped_AndOpensAgainNextDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        // 120 input and 15 output tokens at 1,000 per million each: 0.135 a call, so a 0.25 budget allows two.
        var options = new ModelJudgeOptions
        {
            Model = "house-model",
            Prices = ModelPrices.None.With("house-model", new ModelPrice(1_000, 1_000)),
            BudgetPerDay = 0.25,
            MaxConcurrency = 1,
            Time = clock,
        };
        var judge = Judge(_standIn, options, model: "house-model");
        var cases = Enumerable.Range(0, 5).Select(i => Case($"c{i}")).ToList();

        var run = await judge.GradeAsync([Factual], cases);

        Assert.Equal(2, _standIn.Requests.Count);
        Assert.Equal(3, run.SkippedForBudget);
        Assert.Equal(3, run.NoVerdict);
        Assert.Equal(0.27, run.Usage.Cost!.Value, 12);
        Assert.Equal("the day's budget of 0.25 is spent, so it was not graded", run.Answers[4].Reason);

        clock.Advance(TimeSpan.FromHours(14));
        var nextDay = await judge.GradeAsync(Factual, Case("c4"));

        Assert.Equal(1, nextDay.Grade.Grade);
        Assert.Equal(3, _standIn.Requests.Count);
    }

    [Fact]
    public void Budget_WithoutAPrice_IsRefusedSayingWhatToDo()
    {
        var e = Assert.Throws<JudgeSetupException>(() =>
            Judge(_standIn, new ModelJudgeOptions { Model = "house-model", BudgetPerDay = 5 }, model: "house-model")
        );

        Assert.Equal(
            "budget_per_day is set but the price of the model \"house-model\" is unknown, so spending cannot be counted "
                + "against it: add the model's price per million input and output tokens to the judge's price table, "
                + "or remove budget_per_day.",
            e.Message
        );
    }
}
