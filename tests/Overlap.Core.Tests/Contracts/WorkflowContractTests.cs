using System.Text.RegularExpressions;
using Overlap.Core.Contracts;

namespace Overlap.Core.Tests.Contracts;

/// <summary>The contract's workflow section: what it reads, its defaults, and how it refuses a mistake with the line and the fix.</summary>
public sealed partial class WorkflowContractTests
{
    private const string Binary =
        "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s }\n";

    internal const string Generative =
        "feature: replies\ntask: generative\ncolumns: { input: question, output: draft }\n"
        + "checks:\n  - { name: no_refund_promise, not_contains: [\"guarantee a refund\"] }\n"
        + "  - { name: short_enough, max_length: 1200 }\n  - { name: greets, regex: \"Hi\" }\n"
        + "  - { name: on_topic, similar_to: question, min: 0.5 }\n";

    [Fact]
    public void Parse_ScoredExampleOfTheDocs_ReadsEveryKey()
    {
        var w = ContractParser
            .Parse(Binary + "review: { when: \"score between 0.5 and 0.8\" }\n" + DocExample(0))
            .Workflow!;
        Assert.Equal(["body_length", "sender_domain_type"], w.Input.Required);
        Assert.Equal(
            [("links", 0.0, 500.0), ("body_length", 1.0, double.PositiveInfinity)],
            w.Input.Ranges.Select(r => (r.Field, r.Min, r.Max))
        );
        var c = Assert.Single(w.Input.Categories);
        Assert.Equal("sender_domain_type", c.Field);
        Assert.Equal(["freemail", "com_net", "edu_org", "other"], c.Allowed);
        Assert.Equal(0, w.Input.MaxUnseenShare);
        Assert.Equal(GuardRoute.Reject, w.OnInputFailure);
        Assert.Equal(new AbstainBand("score between 0.5 and 0.8", 0.5, 0.8), w.Abstain);
        Assert.False(w.FailClosed);
        Assert.Equal(1.5, w.ReviewCost);
        Assert.Empty(w.OutputChecks);
    }

    [Fact]
    public void Parse_GenerativeExampleOfTheDocs_ReadsEveryKey()
    {
        var w = ContractParser.Parse(Generative + DocExample(1)).Workflow!;
        Assert.Equal(
            new TextExpectation
            {
                Field = "question",
                MinLength = 5,
                MaxLength = 4000,
                Script = "latin",
            },
            w.Input.Text
        );
        Assert.Equal(GuardRoute.Fallback, w.OnInputFailure);
        Assert.Equal(["no_refund_promise", "short_enough"], w.OutputChecks.Select(x => x.Name));
        Assert.Equal("reply.schema.json", w.Format!.SchemaPath);
        Assert.Equal(GuardRoute.Retry, w.OnOutputFailure);
        Assert.Equal(
            new RetryPolicy
            {
                MaxAttempts = 2,
                AddToPrompt = "Your last draft was refused: {failure}. Write it again.",
                Then = GuardRoute.Escalate,
            },
            w.Retry
        );
        Assert.Equal("canned-reply", w.Fallback);
        Assert.Equal(
            new EscalatePolicy { Reason = "the draft failed its checks twice", Priority = "high" },
            w.Escalate
        );
        Assert.Null(w.Abstain);
        Assert.True(w.FailClosed);
    }

    [Fact]
    public void Parse_GenerativeDefaults_GuardEveryCheckButSimilarToAndRetryOnceThenEscalate()
    {
        var w = ContractParser.Parse(Generative + "workflow: { on_guard_error: open }").Workflow!;
        Assert.Equal(["no_refund_promise", "short_enough", "greets"], w.OutputChecks.Select(x => x.Name));
        Assert.Equal(GuardRoute.Retry, w.OnOutputFailure);
        Assert.Equal(new RetryPolicy { MaxAttempts = 2, Then = GuardRoute.Escalate }, w.Retry);
        Assert.True(w.Input.IsEmpty);
        Assert.Equal("normal", w.Escalate.Priority);
        Assert.Equal(
            GuardRoute.Fallback,
            ContractParser.Parse(Generative + "workflow: { fallback: canned }").Workflow!.Retry.Then
        );
    }

    [Fact]
    public void Parse_AbstainBand_DefaultsToTheReviewBandAndCanBeTurnedOff()
    {
        var review = "review: { when: \"score between 0.35 and 0.65\" }\n";
        Assert.Equal(
            new AbstainBand("score between 0.35 and 0.65", 0.35, 0.65),
            ContractParser.Parse(Binary + review + "workflow: { review_cost: 2 }").Workflow!.Abstain
        );
        Assert.Null(ContractParser.Parse(Binary + review + "workflow: { abstain: none }").Workflow!.Abstain);
        Assert.Equal(
            new AbstainBand("score between 0.4 and 0.6", 0.4, 0.6),
            ContractParser
                .Parse(Binary + review + "workflow: { abstain: \"score between 0.4 and 0.6\" }")
                .Workflow!.Abstain
        );
        // A one-sided review rule is no band: nothing to abstain in by default.
        Assert.Null(
            ContractParser
                .Parse(Binary + "review: { when: \"score > 0.9\" }\nworkflow: { review_cost: 2 }")
                .Workflow!.Abstain
        );
        Assert.Null(ContractParser.Parse(Binary).Workflow);
    }

    [Fact]
    public void Explain_DocExamples_SayWhatHappensWhenACallFallsShort()
    {
        var scored = ContractExplainer.Explain(
            ContractParser.Parse(
                Binary
                    + "words: { example: email, positive: spam email, negative: legitimate email, action: moved to the spam folder }\n"
                    + "costs: { false_positive: 5, false_negative: 0.1, currency: USD }\n"
                    + "review: { when: \"score between 0.5 and 0.8\" }\n"
                    + DocExample(0)
            )
        );
        Assert.EndsWith(
            """
            When a call falls short (enforced as it happens)
              Before the model is asked, each email must have body_length, sender_domain_type present; links from 0 to 500; body_length at least 1; sender_domain_type one of freemail, com_net, edu_org, other. One that does not is refused.
              Any email whose score is between 0.5 and 0.8 is not decided by the model: a person decides.
              One person's review costs 1.5 USD.
              If the guard itself fails, the call goes on unguarded.

            """.ReplaceLineEndings("\n"),
            scored.ReplaceLineEndings("\n"),
            StringComparison.Ordinal
        );
        var generative = ContractExplainer.Explain(ContractParser.Parse(Generative + DocExample(1)));
        Assert.EndsWith(
            """
            When a call falls short (enforced as it happens)
              Before the model is asked, each case must have question 5 to 4,000 characters in latin script. One that does not is answered by the application's fallback 'canned-reply'.
              Each output must pass no_refund_promise, short_enough and be JSON valid against reply.schema.json. One that does not is asked for again with the failure added to the prompt, up to 2 attempts in all, and then goes to a person (high priority).
              If the guard itself fails, the call is answered by the application's fallback 'canned-reply'.

            """.ReplaceLineEndings("\n"),
            generative.ReplaceLineEndings("\n"),
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData(
        Binary,
        "workflow:\n  output: { checks: all }",
        2,
        "'workflow.output' checks a generated answer; a binary contract's output is a score, so remove it (use 'abstain' for uncertain scores)"
    )]
    [InlineData(
        Binary,
        "workflow:\n  abstain: \"score > 0.9\"",
        2,
        "'abstain' is 'score > 0.9'; write a band such as \"score between 0.35 and 0.65\" (by default the review band), or none"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input: { on_failure: fallback, required: [a] }",
        2,
        "'on_failure' is fallback, but the workflow names no fallback; add fallback: <name>, the alternative the application registers (such as fallback: no-suggestion)"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input: { on_failure: retry, required: [a] }",
        2,
        "'on_failure' is 'retry'; write reject (the call is refused), fallback (the application's alternative answers) or escalate (a person decides)"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    ranges: { amount: { min: 10, max: 1 } }",
        3,
        "'ranges.amount' has min 10 above max 1; swap them"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    ranges: { amount: { low: 1 } }",
        3,
        "unknown key 'low' in 'ranges.amount'; the keys allowed here are: min, max"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    categories: { country: [] }",
        3,
        "'categories.country' lists the values 'country' may take, such as country: [freemail, com_net, other]"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    required: [a]\n    max_unseen_share: 0.2",
        4,
        "'max_unseen_share' is the largest share of the inputs listed in 'categories' whose value is not listed; add 'categories' or remove it"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    text: { field: body, script: klingon }",
        3,
        "'script' is 'klingon'; write one of latin, greek, cyrillic, armenian, hebrew, arabic, devanagari, thai, hangul, japanese, han (a script check, not language detection)"
    )]
    [InlineData(
        Binary,
        "workflow:\n  input:\n    text: { max_length: 10 }",
        3,
        "'text' needs 'field', the input that holds the text, such as field: message"
    )]
    [InlineData(
        Binary,
        "workflow:\n  retry: { max_attempts: 3 }",
        2,
        "'retry' asks the model again for a better answer, which only a generative contract can do; remove it"
    )]
    [InlineData(
        Binary,
        "workflow:\n  on_guard_error: maybe",
        2,
        "'on_guard_error' is 'maybe'; write open (a guard that fails lets the call through unguarded) or closed (it takes the fallback, abstain or escalate route)"
    )]
    [InlineData(
        Binary,
        "workflow:\n  escalate: { priority: asap }",
        2,
        "'priority' is 'asap'; write low, normal, high, urgent"
    )]
    [InlineData(
        Binary,
        "workflow:\n  review_cost: -1",
        2,
        "'review_cost' is -1, outside 0 to 1.7976931348623157E+308; the money one person's review of one case costs, such as 2.50"
    )]
    [InlineData(
        Binary,
        "workflow:\n  inputs: { required: [a] }",
        2,
        "unknown key 'inputs' in 'workflow'; did you mean 'input'?"
    )]
    [InlineData(
        Generative,
        "workflow:\n  output: { checks: [on_topic] }",
        2,
        "check 'on_topic' compares embeddings, which is too slow to run on every call; leave it out of 'output.checks' (it still counts in evaluations)"
    )]
    [InlineData(
        Generative,
        "workflow:\n  output: { checks: [short_enuf] }",
        2,
        "'output.checks' names 'short_enuf', which is no check of the contract; did you mean 'short_enough'?"
    )]
    [InlineData(
        Generative,
        "workflow:\n  output: { format: { labels: [a], json_schema: s.json } }",
        2,
        "'format' is exactly one of json_schema (a schema file beside the contract, such as reply.schema.json) or labels (the answers allowed, such as [billing, technical, sales])"
    )]
    [InlineData(
        Generative,
        "workflow:\n  output: { on_failure: escalate }\n  retry: { max_attempts: 3 }",
        3,
        "'retry' says how answers are retried, but 'output.on_failure' does not retry; remove 'retry' or write on_failure: retry"
    )]
    [InlineData(
        Generative,
        "workflow:\n  retry: { max_attempts: 11 }",
        2,
        "'max_attempts' is at most 10 (each attempt is a paid model call the user waits for), such as max_attempts: 2"
    )]
    [InlineData(
        Generative,
        "workflow:\n  retry: { then: fallback }",
        2,
        "'then' is fallback, but the workflow names no fallback; add fallback: <name>, the alternative the application registers (such as fallback: no-suggestion)"
    )]
    [InlineData(
        Generative,
        "workflow:\n  abstain: \"score between 0.4 and 0.6\"",
        2,
        "'abstain' is a score band, for a binary contract with columns.score; remove it (use 'escalate' routes instead)"
    )]
    public void Parse_WorkflowMistake_NamesLineAndFix(string head, string extra, int line, string problem)
    {
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(head + extra, "c.yaml"));
        var only = e.Errors.Count > 0 ? Assert.Single(e.Errors) : e;
        Assert.Equal(problem, only.Problem);
        Assert.Equal(line + head.Count(c => c == '\n'), only.Line);
    }

    /// <summary>The n-th YAML example of the `workflow` section of docs/contract.md.</summary>
    internal static string DocExample(int n)
    {
        var doc = File.ReadAllText(Path.Combine(ContractSchemaTests.Root, "docs", "contract.md"));
        var start = doc.IndexOf("## `workflow`", StringComparison.Ordinal);
        var section = doc[start..doc.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        return YamlBlock().Matches(section)[n].Groups[1].Value;
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
