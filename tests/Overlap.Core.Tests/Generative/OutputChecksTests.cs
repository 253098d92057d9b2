using System.Diagnostics;
using Overlap.Core.Contracts;
using Overlap.Core.Generative;
using Overlap.Tests.Shared;

namespace Overlap.Core.Tests.Generative;

/// <summary>Each check kind on hand-made outputs: passing, failing, empty, missing, Unicode, and a pattern that runs out of time.</summary>
public sealed class OutputChecksTests
{
    private static OutputCheck Check(OutputCheckKind kind) => new() { Name = "c", Kind = kind };

    [Theory]
    [InlineData("Hi Sam, thanks", true)]
    [InlineData("Hello there", true)]
    [InlineData("Hiya, thanks", false)]
    [InlineData("  Hi Sam", false)]
    [InlineData("", false)]
    public void Regex_MatchesAsDotNetDoes(string output, bool passes)
    {
        var check = Check(OutputCheckKind.Regex) with { Pattern = @"^(Hi|Hello|Dear)\b" };
        var result = OutputChecks.Run(check, output);
        Assert.Equal(passes, result.Passed);
        Assert.Equal(passes ? null : @"does not match /^(Hi|Hello|Dear)\b/", result.Why);
    }

    [Fact]
    public void Regex_ThatRunsTooLong_FailsWithTheReason_AndDoesNotHang()
    {
        var check = Check(OutputCheckKind.Regex) with { Pattern = "^(a+)+$" };
        var clock = Stopwatch.StartNew();
        var result = OutputChecks.Run(check, new string('a', 40) + "!");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.False(result.Passed);
        Assert.Contains("ran longer than 200 ms on this output and was stopped", result.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOutput_FailsEveryCheck_SayingSo()
    {
        foreach (var kind in new[] { OutputCheckKind.Regex, OutputCheckKind.NotContains, OutputCheckKind.MaxLength })
        {
            var result = OutputChecks.Run(Check(kind) with { Pattern = "x", Texts = ["x"], Length = 5 }, null);
            Assert.Equal(CheckOutcome.Fail("there is no output (the output column is empty)"), result);
        }
    }

    [Fact]
    public void Contains_AndNotContains_AreOrdinal_AndNameTheTexts()
    {
        var contains = Check(OutputCheckKind.Contains) with { Texts = ["refund", "days"] };
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(contains, "Your refund takes 3 days."));
        Assert.Equal(
            CheckOutcome.Fail("does not contain \"days\""),
            OutputChecks.Run(contains, "Your refund is on its way.")
        );
        Assert.Equal(CheckOutcome.Fail("does not contain \"refund\", \"days\""), OutputChecks.Run(contains, ""));
        var not = Check(OutputCheckKind.NotContains) with { Texts = ["guarantee a refund"] };
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(not, "We Guarantee A Refund"));
        Assert.Equal(
            CheckOutcome.Fail("contains \"guarantee a refund\""),
            OutputChecks.Run(not, "we guarantee a refund")
        );
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(not, ""));
    }

    [Theory]
    [InlineData("héllo", 5)]
    [InlineData("😊😊", 2)] // two code points, four UTF-16 units
    [InlineData("日本語", 3)]
    [InlineData("", 0)]
    public void Length_CountsCodePoints_AsPython(string text, int expected) =>
        Assert.Equal(expected, OutputChecks.Length(text));

    [Fact]
    public void LengthChecks_HoldTheBound_InCodePoints()
    {
        var max = Check(OutputCheckKind.MaxLength) with { Length = 2 };
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(max, "😊😊"));
        Assert.Equal(CheckOutcome.Fail("3 characters, more than the most allowed, 2"), OutputChecks.Run(max, "😊😊!"));
        var min = Check(OutputCheckKind.MinLength) with { Length = 1 };
        Assert.Equal(CheckOutcome.Fail("0 characters, fewer than the least allowed, 1"), OutputChecks.Run(min, ""));
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(min, "é"));
    }

    [Fact]
    public void JsonSchema_ValidatesJson_AndSaysWhyNot()
    {
        const string SchemaText = """
            { "type": "object", "required": ["reply"], "properties": { "reply": { "type": "string", "maxLength": 5 } } }
            """;
        var schema = OutputChecks.Schema(SchemaText, "reply.schema.json");
        var check = Check(OutputCheckKind.JsonSchema) with { SchemaPath = "reply.schema.json" };
        Assert.Equal(CheckOutcome.Pass, OutputChecks.Run(check, """{"reply":"hi 😊"}""", schema));
        var missing = OutputChecks.Run(check, """{"answer":"hi"}""", schema);
        Assert.False(missing.Passed);
        Assert.StartsWith("does not fit the JSON schema (at /:", missing.Why, StringComparison.Ordinal);
        Assert.Contains("reply", missing.Why, StringComparison.Ordinal);
        var tooLong = OutputChecks.Run(check, """{"reply":"far too long"}""", schema);
        Assert.StartsWith("does not fit the JSON schema (at /reply:", tooLong.Why, StringComparison.Ordinal);
        var notJson = OutputChecks.Run(check, "Hi Sam, here is your answer", schema);
        Assert.False(notJson.Passed);
        Assert.StartsWith("not valid JSON (", notJson.Why, StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON (", OutputChecks.Run(check, "", schema).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSchema_ThatIsNotOne_IsRefusedNamingTheFile()
    {
        var e = Assert.Throws<ContractException>(() => OutputChecks.Schema("{ not json", "reply.schema.json"));
        Assert.StartsWith("reply.schema.json is not a JSON Schema (", e.Problem, StringComparison.Ordinal);
        Assert.Equal("reply.schema.json", e.Source);
    }

    [Fact]
    public void SimilarTo_EmbedsInOneBatchPerSide_AndHoldsTheCosineToMin()
    {
        var embedder = new TestEmbedder();
        var check = Check(OutputCheckKind.SimilarTo) with { Column = "reference", Min = 0.9 };
        var results = OutputChecks.SimilarTo(check, ["abc", "aab", null, "xyz"], ["cab", "ab", "abc", null], embedder);
        Assert.Equal([2, 2], embedder.Batches);
        Assert.Equal(CheckOutcome.Pass, results[0]); // same letters: cosine 1
        // (2,1)·(1,1)/(√5·√2) = 3/√10 = 0.9487
        Assert.Equal(CheckOutcome.Pass, results[1]);
        Assert.Equal(CheckOutcome.Fail("there is no output (the output column is empty)"), results[2]);
        Assert.Equal(CheckOutcome.NotRun("there is no reference to compare with"), results[3]);
        var strict = OutputChecks.SimilarTo(check with { Min = 0.95 }, ["aab"], ["ab"], embedder);
        Assert.Equal(CheckOutcome.Fail("similarity to reference is 0.949, below 0.95"), strict[0]);
        Assert.Equal(3 / Math.Sqrt(10), OutputChecks.Cosine(TestEmbedder.Vector("aab"), TestEmbedder.Vector("ab")), 12);
        Assert.Equal(0, OutputChecks.Cosine(TestEmbedder.Vector("123"), TestEmbedder.Vector("ab")));
    }
}
