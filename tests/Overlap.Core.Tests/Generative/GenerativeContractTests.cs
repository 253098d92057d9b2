using Overlap.Core.Contracts;
using Overlap.Core.Generative;
using Overlap.Core.Statements;
using Overlap.Core.Tests.Contracts;

namespace Overlap.Core.Tests.Generative;

/// <summary>The generative contract: issue 15's example parses and fits the schema; each kind of mistake is refused with its line and what to write.</summary>
public sealed class GenerativeContractTests
{
    // Issue 15, item 1, verbatim (with a feature name): the normative shape.
    private const string IssueExample = """
        feature: support-replies
        task: generative
        columns: { id: ticket_id, input: question, output: draft, reference: agent_reply, segments: [channel] }
        checks:                                   # deterministic, run on every output
          - { name: greets, regex: "^(Hi|Hello|Dear)\\b" }
          - { name: no_refund_promise, not_contains: ["guarantee a refund"] }
          - { name: short_enough, max_length: 1200 }
          - { name: valid_json, json_schema: reply.schema.json }
          - { name: on_topic, similar_to: reference, min: 0.6 }   # cosine of sentence embeddings
        rubric:                                   # judged by people and/or a model
          - { name: factual, question: "Is every fact in the reply supported by the ticket?", scale: pass_fail }
          - { name: tone, question: "Is the tone warm and professional?", scale: 1-5, pass_at: 4,
              examples: { good: "…", rejected: "…" } }
        acceptable: all                           # an output is acceptable when every check and criterion passes
        judges:
          people: { sample: 0.05 }
          model: { endpoint: env:OVERLAP_JUDGE_ENDPOINT, model: env:OVERLAP_JUDGE_MODEL, key: env:OVERLAP_JUDGE_KEY, sample: 0.2, budget_per_day: 5.00 }
          min_agreement: 0.8                      # a model judge counts for a criterion only where it agrees with people this well
        requirements:
          - { metric: acceptable_rate, min: 0.85 }
          - { metric: check.no_refund_promise.pass_rate, min: 0.999 }
          - { metric: rubric.factual.pass_rate, by: channel, min: 0.95 }
          - { metric: regeneration_rate, max: 0.15 }
          - { metric: cost_per_1000, max: 2.50 }
        """;

    private const string Head = """
        feature: f
        task: generative
        columns: { id: id, output: draft, reference: ref, segments: [channel], tags: tags }
        checks:
          - { name: greets, regex: "^Hi" }
        rubric:
          - { name: factual, question: "Supported?", scale: pass_fail }
          - { name: tone, question: "Warm?", scale: 1-5 }

        """;

    [Fact]
    public void IssueExample_ParsesIntoItsParts()
    {
        var c = ContractParser.Parse(IssueExample);
        Assert.Equal(TaskKind.Generative, c.Task);
        Assert.Equal(string.Empty, c.Columns.Label);
        Assert.Equal(("draft", "question", "agent_reply"), (c.Columns.Output, c.Columns.Input, c.Columns.Reference));
        var g = c.Generative!;
        Assert.Equal(
            [
                OutputCheckKind.Regex,
                OutputCheckKind.NotContains,
                OutputCheckKind.MaxLength,
                OutputCheckKind.JsonSchema,
                OutputCheckKind.SimilarTo,
            ],
            g.Checks.Select(k => k.Kind)
        );
        Assert.Equal(@"^(Hi|Hello|Dear)\b", g.Checks[0].Pattern);
        Assert.Equal(["guarantee a refund"], g.Checks[1].Texts);
        Assert.Equal(1200, g.Checks[2].Length);
        Assert.Equal("reply.schema.json", g.Checks[3].SchemaPath);
        Assert.Equal(("reference", 0.6), (g.Checks[4].Column, g.Checks[4].Min));
        Assert.Equal(RubricScale.PassFail, g.Rubric[0].Scale);
        Assert.Equal(
            (RubricScale.OneToFive, 4, "…", "…"),
            (g.Rubric[1].Scale, g.Rubric[1].PassAt, g.Rubric[1].GoodExample, g.Rubric[1].RejectedExample)
        );
        Assert.Null(g.Acceptable);
        Assert.Equal(
            ["greets", "no_refund_promise", "short_enough", "valid_json", "on_topic", "factual", "tone"],
            g.AcceptableNames
        );
        Assert.Equal(0.05, g.Judges!.PeopleSample);
        Assert.Equal(0.8, g.Judges.MinAgreement);
        Assert.Equal(
            ("env:OVERLAP_JUDGE_ENDPOINT", "env:OVERLAP_JUDGE_MODEL", "env:OVERLAP_JUDGE_KEY", 0.2, (double?)5.0),
            (
                g.Judges.Model!.Endpoint,
                g.Judges.Model.Model,
                g.Judges.Model.Key,
                g.Judges.Model.Sample,
                g.Judges.Model.BudgetPerDay
            )
        );
        Assert.Equal(
            [
                "acceptable_rate",
                "check.no_refund_promise.pass_rate",
                "rubric.factual.pass_rate",
                "regeneration_rate",
                "cost_per_1000",
            ],
            c.Requirements.Select(r => r.Metric)
        );
    }

    [Fact]
    public void Explain_SaysWhatIsCheckedAndGraded_InTheContractsWords()
    {
        var text = ContractExplainer.Explain(
            ContractParser.Parse(
                File.ReadAllText(Path.Combine(ContractSchemaTests.Root, "examples", "support-replies", "overlap.yaml"))
            )
        );
        Assert.Contains(
            "For each ticket the feature writes a draft (column 'draft'). Every draft is checked: greets (regex); no_refund_promise (not_contains); short_enough (max_length); says_something (min_length).",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "People grade tone: \"Is the tone warm and professional?\" (1 to 5, passing at 4).",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "A draft is acceptable when it passes every check and criterion.",
            text,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void IssueExample_ValidatesAgainstTheSchema()
    {
        Assert.Empty(
            ContractSchemaTests.Validate(ContractSchemaTests.ToJson(IssueExample), ContractSchemaTests.Schema, "$")
        );
    }

    [Fact]
    public void AcceptableList_AndTagsAsBy_AreRead()
    {
        var c = ContractParser.Parse(
            Head
                + "acceptable: [greets, factual]\nrequirements:\n  - { metric: acceptable_rate, by: tags, min: 0.8 }\n  - { metric: rubric.tone.mean, min: 4 }\n"
        );
        Assert.Equal(["greets", "factual"], c.Generative!.Acceptable);
        Assert.Equal("tags", c.Requirements[0].By);
    }

    [Theory]
    [InlineData(
        "requirements:\n  - { metric: check.greet.pass_rate, min: 0.9 }",
        10,
        "no check is named 'greet'; did you mean 'greets'?"
    )]
    [InlineData(
        "requirements:\n  - { metric: rubric.factul.pass_rate, min: 0.9 }",
        10,
        "no criterion is named 'factul'; did you mean 'factual'?"
    )]
    [InlineData(
        "requirements:\n  - { metric: rubric.style.pass_rate, min: 0.9 }",
        10,
        "no criterion is named 'style'; define it in 'rubric' or use one of: factual, tone"
    )]
    [InlineData(
        "requirements:\n  - { metric: rubric.factual.mean, min: 4 }",
        10,
        "needs a 1-5 scale, and 'factual' is pass_fail; use rubric.factual.pass_rate"
    )]
    [InlineData(
        "requirements:\n  - { metric: acceptible_rate, min: 0.9 }",
        10,
        "unknown metric 'acceptible_rate'; did you mean 'acceptable_rate'?"
    )]
    [InlineData(
        "requirements:\n  - { metric: recall, min: 0.9 }",
        10,
        "'recall' does not fit a generative task; use one of: "
    )]
    [InlineData(
        "requirements:\n  - { metric: acceptable_rate, by: country, min: 0.9 }",
        10,
        "'by: country' names a column that is not in 'columns.segments'"
    )]
    [InlineData(
        "acceptable: [greets, factul]",
        9,
        "'acceptable' names 'factul', which is no check or criterion; did you mean 'factual'?"
    )]
    [InlineData("acceptable: some", 9, "'acceptable' is 'all' or a list of check and criterion names")]
    [InlineData("labels: { positive: a, negative: b }", 9, "a generative contract has no 'labels'")]
    [InlineData(
        "judges: { model: { model: gpt } }",
        9,
        "'judges.model' needs 'endpoint', such as endpoint: env:OVERLAP_JUDGE_ENDPOINT"
    )]
    [InlineData("judges: { min_agreement: 2 }", 9, "'min_agreement' is 2, outside 0 to 1")]
    [InlineData("judges: { people: { share: 0.1 } }", 9, "unknown key 'share' in 'people'")]
    public void Mistake_IsRefused_WithLineAndWhatToWrite(string extra, int line, string expected)
    {
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(Head + extra));
        var error = Assert.Single(e.Errors);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [InlineData("{ name: both, regex: a, max_length: 3 }", "check 'both' needs exactly one of regex, contains")]
    [InlineData("{ name: none }", "it has none")]
    [InlineData("{ name: sim, similar_to: ref }", "check 'sim' needs 'min', the lowest cosine similarity")]
    [InlineData("{ name: sim, similar_to: ref, min: 2 }", "'min' is 2, outside -1 to 1")]
    [InlineData("{ name: lenmin, max_length: 10, min: 0.5 }", "'min' belongs to a similar_to check")]
    [InlineData("{ name: bad, regex: \"(unclosed\" }", "the regex of check 'bad' is not a valid .NET pattern")]
    [InlineData("{ name: long, max_length: many }", "'max_length' must be a number, not 'many'")]
    [InlineData("{ name: empty, not_contains: [] }", "'not_contains' needs one or more non-empty texts")]
    [InlineData("{ name: \"no good\", max_length: 3 }", "the name 'no good' must be letters, digits, '_' or '-'")]
    [InlineData("{ name: greets, max_length: 3 }", "the name 'greets' is used twice")]
    [InlineData("{ name: x, regexp: a }", "unknown key 'regexp' in an item of 'checks'; did you mean 'regex'?")]
    public void BadCheck_IsRefused_OnItsLine(string check, string expected)
    {
        var yaml = Head.Replace("checks:\n", $"checks:\n  - {check}\n", StringComparison.Ordinal);
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(yaml));
        Assert.Contains(e.Errors, x => x.Problem.Contains(expected, StringComparison.Ordinal) && x.Line is 5 or 6);
    }

    [Theory]
    [InlineData("{ name: t, question: q, scale: 1-10 }", "'scale' is '1-10'; write pass_fail or 1-5")]
    [InlineData("{ name: t, question: q, pass_at: 4 }", "'pass_at' belongs to a 1-5 scale")]
    [InlineData("{ name: t, question: q, scale: 1-5, pass_at: 3.5 }", "'pass_at' is a whole grade from 1 to 5")]
    [InlineData("{ name: t }", "an item of 'rubric' needs 'question'")]
    [InlineData("{ name: t, question: q, examples: { best: x } }", "unknown key 'best' in 'examples'")]
    public void BadCriterion_IsRefused(string criterion, string expected)
    {
        var yaml = Head.Replace("rubric:\n", $"rubric:\n  - {criterion}\n", StringComparison.Ordinal);
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(yaml));
        Assert.Contains(e.Errors, x => x.Problem.Contains(expected, StringComparison.Ordinal) && x.Line == 7);
    }

    [Theory]
    [InlineData(
        "feature: f\ntask: generative\ncolumns: { input: q }\nchecks: [ { name: a, max_length: 3 } ]\n",
        "a generative contract needs 'columns.output'"
    )]
    [InlineData(
        "feature: f\ntask: generative\ncolumns: { output: o, label: l }\nchecks: [ { name: a, max_length: 3 } ]\n",
        "a generative contract has no 'columns.label'"
    )]
    [InlineData(
        "feature: f\ntask: generative\ncolumns: { output: o }\n",
        "a generative contract needs 'checks' or 'rubric'"
    )]
    [InlineData(
        "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s }\nchecks: [ { name: a, max_length: 3 } ]\n",
        "'checks' is for 'task: generative' only"
    )]
    [InlineData(
        "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s, output: o }\n",
        "'columns.output' is for 'task: generative' only"
    )]
    [InlineData(
        "feature: f\ntask: generate\ncolumns: { output: o }\n",
        "write binary, multiclass, regression or generative"
    )]
    public void WrongTaskOrColumns_IsRefused(string yaml, string expected)
    {
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(yaml));
        Assert.Contains(e.Errors, x => x.Problem.Contains(expected, StringComparison.Ordinal) && x.Line > 0);
    }

    [Fact]
    public void Schema_RefusesWhatTheParserRefuses()
    {
        foreach (
            var (extra, expected) in new[]
            {
                ("checks:\n  - { name: two, regex: a, max_length: 3 }", "oneOf"),
                ("checks:\n  - { name: sim, similar_to: ref }", "oneOf"),
                ("rubric:\n  - { name: t, question: q, scale: 1-10 }", "not in the enum"),
                ("judges: { model: { model: gpt } }", "required 'endpoint'"),
                ("requirements:\n  - { metric: check.x.mean, min: 1 }", "anyOf"),
            }
        )
        {
            var yaml = "feature: f\ntask: generative\ncolumns: { output: o }\n" + extra;
            Assert.Throws<ContractException>(() => ContractParser.Parse(yaml));
            var errors = ContractSchemaTests.Validate(
                ContractSchemaTests.ToJson(yaml),
                ContractSchemaTests.Schema,
                "$"
            );
            Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GenerativeMetrics_AreDeclaredPerName_WithTheirWords()
    {
        var words = new ContractWords { Output = "draft" };
        var check = MetricCatalog.Find("check.no_refund_promise.pass_rate")!;
        Assert.True(check.IsProportion);
        Assert.Equal([TaskKind.Generative], check.Tasks);
        Assert.Null(MetricCatalog.Find("check.no_refund_promise.mean"));
        Assert.Equal(
            "At least 99.9% of drafts must pass the check no_refund_promise.",
            Phrasing.Promise(
                new Requirement
                {
                    Metric = check.Name,
                    Bound = Bound.Min,
                    Value = 0.999,
                },
                words
            )
        );
        Assert.Equal(
            "90 of every 100 drafts are acceptable (86% to 93% at 95% confidence).",
            Phrasing.Result("acceptable_rate", 0.9, 0.86, 0.93, 0.95, words)
        );
        Assert.Equal(
            "No draft among these drafts has every grade it needs, so acceptable rate cannot be measured.",
            Phrasing.Result("acceptable_rate", double.NaN, double.NaN, double.NaN, 0.95, words)
        );
        Assert.Equal(
            "Drafts average 4.2 out of 5 on tone (3.9 to 4.5 at 95% confidence).",
            Phrasing.Result("rubric.tone.mean", 4.2, 3.9, 4.5, 0.95, words)
        );
        var spec = ContractParser.Parse(Head).Generative!;
        Assert.Equal(
            [
                "acceptable_rate",
                "check.greets.pass_rate",
                "rubric.factual.pass_rate",
                "rubric.tone.pass_rate",
                "rubric.tone.mean",
                "regeneration_rate",
                "edit_rate",
                "thumbs_down_rate",
                "tokens_per_output",
                "retry_rate",
                "fallback_rate",
                "escalation_rate",
                "abstention_rate",
                "rejection_rate",
                "passed_after_retry_rate",
                "attempts_per_call",
                "activation_rate",
                "retention_rate",
            ],
            MetricCatalog
                .NamesFor(spec)
                .Where(n => !n.StartsWith("latency", StringComparison.Ordinal) && n != "cost_per_1000")
        );
    }

    [Fact]
    public void Review_OfAGenerativeContractRoutedByPeopleSample_NeedsNoSampleOrWhen()
    {
        var contract = ContractParser.Parse(
            Head
                + "judges:\n  people: { sample: 0.05 }\n"
                + "review:\n  failure_categories: [wrong_fact, rude]\n  second_opinion: 0.1\n"
        );
        Assert.Equal(["wrong_fact", "rude"], contract.Review!.FailureCategories);
        Assert.Equal((0.0, 0.1), (contract.Review.Sample, contract.Review.SecondOpinion));
        Assert.Equal(0.05, contract.Generative!.Judges!.PeopleSample);

        // Without judges.people.sample nothing reaches people, and the refusal says where the share goes.
        var e = Assert.Throws<ContractException>(() =>
            ContractParser.Parse(Head + "review:\n  failure_categories: [wrong_fact]\n")
        );
        Assert.Contains("judges.people.sample", e.Message, StringComparison.Ordinal);
    }
}
