using static Overlap.Judges.Tests.JudgeFixture;

namespace Overlap.Judges.Tests;

/// <summary>The strict reading of a judge's answer: the exact shape or nothing, with what was wrong.</summary>
public sealed class JudgeAnswerParserTests
{
    [Theory]
    [InlineData("""{"grade": 1, "reason": "Supported."}""", 1, "Supported.")]
    [InlineData("""  {"reason": " Missing a fact. ", "grade": 0}  """ + "\n", 0, "Missing a fact.")]
    public void Parse_ExactShape_GivesGradeAndReason(string text, int grade, string reason)
    {
        Assert.Equal((grade, reason), JudgeAnswerParser.Parse(text, Factual, out var problem));
        Assert.Equal("", problem);
    }

    [Theory]
    [InlineData("", "the answer was empty")]
    [InlineData("```json\n{\"grade\": 1, \"reason\": \"ok\"}\n```", "the answer was not one JSON object")]
    [InlineData("Grade: 1. {\"grade\": 1, \"reason\": \"ok\"}", "the answer was not one JSON object")]
    [InlineData("{\"grade\": 1, \"reason\": \"ok\"} thanks", "the answer was not one JSON object")]
    [InlineData("{\"grade\": 1, \"reason\": \"ok\",}", "the answer was not one JSON object")]
    [InlineData("[1, \"ok\"]", "the answer was JSON but not an object")]
    [InlineData("{\"grade\": 1}", "the object must have exactly \"grade\" and \"reason\", it had \"grade\"")]
    [InlineData(
        "{\"grade\": 1, \"reason\": \"ok\", \"confidence\": 0.9}",
        "the object must have exactly \"grade\" and \"reason\", it had \"grade\", \"reason\", \"confidence\""
    )]
    [InlineData(
        "{\"grade\": 1, \"grade\": 0, \"reason\": \"ok\"}",
        "the object must have exactly \"grade\" and \"reason\", it had \"grade\", \"grade\", \"reason\""
    )]
    [InlineData("{\"grade\": \"1\", \"reason\": \"ok\"}", "\"grade\" must be a whole number from 0 to 1, it was \"1\"")]
    [InlineData("{\"grade\": 1.0, \"reason\": \"ok\"}", "\"grade\" must be a whole number from 0 to 1, it was 1.0")]
    [InlineData("{\"grade\": 2, \"reason\": \"ok\"}", "\"grade\" must be a whole number from 0 to 1, it was 2")]
    [InlineData("{\"grade\": true, \"reason\": \"ok\"}", "\"grade\" must be a whole number from 0 to 1, it was true")]
    [InlineData("{\"grade\": 1, \"reason\": \"  \"}", "\"reason\" must be a non-empty string")]
    [InlineData("{\"grade\": 1, \"reason\": null}", "\"reason\" must be a non-empty string")]
    public void Parse_AnythingElse_IsMalformedWithWhy(string text, string expected)
    {
        Assert.Null(JudgeAnswerParser.Parse(text, Factual, out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Parse_OneToFive_AcceptsOneToFiveOnly(int grade, bool accepted)
    {
        var parsed = JudgeAnswerParser.Parse($$"""{"grade": {{grade}}, "reason": "r"}""", Tone, out _);

        Assert.Equal(accepted, parsed is not null);
    }
}
