using Overlap.Core.Generative;

namespace Overlap.Judges.Tests;

/// <summary>The same judge against a real endpoint, when one is configured in the environment.</summary>
public sealed class RealEndpointTests
{
    [RealEndpointFact]
    public async Task RealEndpoint_GradesAnObviousCaseWithAVerdict()
    {
        var policy = new ModelJudgePolicy
        {
            Endpoint = "env:OVERLAP_JUDGE_ENDPOINT",
            Model = Environment.GetEnvironmentVariable("OVERLAP_JUDGE_MODEL") is { Length: > 0 }
                ? "env:OVERLAP_JUDGE_MODEL"
                : "gpt-4o-mini",
            Key = Environment.GetEnvironmentVariable("OVERLAP_JUDGE_KEY") is { Length: > 0 }
                ? "env:OVERLAP_JUDGE_KEY"
                : null,
        };
        var judge = JudgeClients.CreateJudge(policy);
        var criterion = new RubricCriterion
        {
            Name = "answers_the_sum",
            Question = "Does the output state that 2 + 2 equals 4?",
        };

        var right = await judge.GradeAsync(criterion, new JudgeCase("right", "What is 2 + 2?", "2 + 2 = 4."));
        var wrong = await judge.GradeAsync(criterion, new JudgeCase("wrong", "What is 2 + 2?", "2 + 2 = 5."));

        Assert.Equal(1, right.Grade.Grade);
        Assert.Equal(0, wrong.Grade.Grade);
        Assert.True(right.Usage.InputTokens > 0);
    }
}
