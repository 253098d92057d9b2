using Overlap.Core.Generative;
using Overlap.Tests.Shared;

namespace Overlap.Judges.Tests;

/// <summary>Criteria, cases and judges over the real OpenAI client pointed at the stand-in.</summary>
internal static class JudgeFixture
{
    public static readonly RubricCriterion Factual = new()
    {
        Name = "factual",
        Question = "Is every fact in the reply supported by the ticket?",
        GoodExample = "Your order 1142 shipped on May 2.",
        RejectedExample = "We guarantee a refund within the hour.",
    };

    public static readonly RubricCriterion Tone = new()
    {
        Name = "tone",
        Question = "Is the tone warm and professional?",
        Scale = RubricScale.OneToFive,
        PassAt = 4,
    };

    public static JudgeCase Case(string id, string output = "Hello Ana, your parcel left our warehouse today.") =>
        new(id, "Where is my parcel?", output, "Hi Ana, the parcel shipped today.");

    /// <summary>A judge with the real Microsoft.Extensions.AI.OpenAI client against the stand-in.</summary>
    public static ModelJudge Judge(
        OpenAiStandIn standIn,
        ModelJudgeOptions? options = null,
        string model = "gpt-4o-mini"
    )
    {
        var policy = new ModelJudgePolicy
        {
            Endpoint = standIn.Endpoint.ToString(),
            Model = model,
            Key = "sk-test-secret",
        };
        var settings = (options ?? new ModelJudgeOptions { Model = model }) with
        {
            RetryDelay = TimeSpan.FromMilliseconds(20),
        };
        var endpoint = JudgeClients.Resolve(policy);
        return new ModelJudge(JudgeClients.CreateChatClient(endpoint), settings with { Model = model });
    }
}
