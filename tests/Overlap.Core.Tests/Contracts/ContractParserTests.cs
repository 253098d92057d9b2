using Overlap.Core.Contracts;

namespace Overlap.Core.Tests.Contracts;

public sealed class ContractParserTests
{
    private const string Valid = """
        feature: spam-filter
        description: Moves unwanted bulk email out of the inbox.
        owners: { product: ana@example.com, engineering: raj@example.com }
        task: binary
        labels: { positive: spam, negative: ham }
        columns:
          id: message_id
          label: is_spam
          score: p_spam
          segments: [sender_tld]
        threshold: 0.4
        costs: { false_positive: 4.0, false_negative: 0.1, currency: USD }
        words: { positive: spam email, negative: legitimate email, action: moved to the spam folder }
        confidence: 0.9
        requirements:
          - { metric: recall, min: 0.90 }
          - { metric: false_positive_rate, max: 0.01 }
          - { metric: recall, by: sender_tld, max_gap: 0.05 }
        monitoring:
          window: 1d
          reference: { from: 2002-07-01, to: 2002-08-01 }
          label_delay: 7d
          retrain_when: { failed_windows: 3, drifted_windows: 2 }
          alerts: [ { webhook: "https://hooks.example.com/overlap" } ]
        review:
          when: "score between 0.35 and 0.65"
          sample: 0.02
          escalate_after: 24h
        """;

    private static ContractException Refuse(string yaml) =>
        Assert.Throws<ContractException>(() => ContractParser.Parse(yaml, "c.yaml"));

    [Fact]
    public void Parse_DesignExample_ReadsEveryKey()
    {
        var c = ContractParser.Parse(Valid);
        Assert.Equal("spam-filter", c.Feature);
        Assert.Equal(TaskKind.Binary, c.Task);
        Assert.Equal("spam", c.Labels.Positive);
        Assert.Equal("p_spam", c.Columns.Score);
        Assert.Equal(["sender_tld"], c.Columns.Segments);
        Assert.Equal(0.4, c.Threshold);
        Assert.Equal(4.0, c.Costs.FalsePositive);
        Assert.Equal(0.9, c.Confidence);
        Assert.Equal(3, c.Requirements.Count);
        Assert.Equal(Bound.MaxGap, c.Requirements[2].Bound);
        Assert.Equal("sender_tld", c.Requirements[2].By);
        Assert.Equal(TimeSpan.FromDays(7), c.Monitoring!.LabelDelay);
        Assert.Equal(3, c.Monitoring.RetrainWhen!.FailedWindows);
        Assert.Equal(0.35, c.Review!.ScoreLow);
        Assert.True(c.Review.Routes(0.5));
        Assert.False(c.Review.Routes(0.7));
        Assert.Equal(TimeSpan.FromHours(24), c.Review.EscalateAfter);
    }

    [Fact]
    public void Review_SecondOpinion_IsAShareThatTheExplanationStates()
    {
        var c = ContractParser.Parse(
            Valid.Replace("  sample: 0.02", "  sample: 0.02\n  second_opinion: 0.1", StringComparison.Ordinal)
        );
        Assert.Equal(0.1, c.Review!.SecondOpinion);
        Assert.Equal(0, ContractParser.Parse(Valid).Review!.SecondOpinion);
        Assert.Contains(
            "10% of the cases sent to a person get a second reviewer",
            ContractExplainer.Explain(c),
            StringComparison.Ordinal
        );
        var refused = Refuse(
            Valid.Replace("  sample: 0.02", "  sample: 0.02\n  second_opinion: 2", StringComparison.Ordinal)
        );
        Assert.Contains("second_opinion", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("treshold: 0.5", 2, "unknown key 'treshold' in the contract; did you mean 'threshold'?")]
    [InlineData(
        "threshold: high",
        2,
        "'threshold' must be a number, not 'high'; write a score between 0 and 1, or 'optimize'"
    )]
    [InlineData(
        "threshold: 1.5",
        2,
        "'threshold' is 1.5, outside 0 to 1; write a score between 0 and 1, or 'optimize'"
    )]
    [InlineData("requirements:\n  - { metric: recal, min: 0.9 }", 3, "unknown metric 'recal'; did you mean 'recall'?")]
    [InlineData(
        "requirements:\n  - { metric: mae, max: 3 }",
        3,
        "'mae' does not fit a binary task; use one of: accuracy, precision, recall, specificity, false_positive_rate, false_negative_rate, positive_rate, f1, roc_auc, pr_auc, brier, log_loss, ece, latency_p50_ms, latency_p95_ms, latency_p99_ms, cost_per_1000, retry_rate, fallback_rate, escalation_rate, abstention_rate, rejection_rate, passed_after_retry_rate, attempts_per_call, activation_rate, retention_rate"
    )]
    [InlineData(
        "requirements:\n  - { metric: recall, min: 0.9, max: 0.99 }",
        3,
        "a requirement has exactly one of 'min', 'max' or 'max_gap'; this one has min and max; write one requirement per bar"
    )]
    [InlineData(
        "requirements:\n  - { metric: recall, max_gap: 0.1 }",
        3,
        "'max_gap' compares segments with the overall figure, so it needs 'by: <segment column>'"
    )]
    [InlineData(
        "requirements:\n  - { metric: recall, by: country, min: 0.8 }",
        3,
        "'by: country' names a column that is not in 'columns.segments'; add it there, such as segments: [country]"
    )]
    [InlineData(
        "requirements:\n  - { metric: recall, min: 90 }",
        3,
        "'min' is 90, outside 0 to 1; this metric lies between 0 and 1"
    )]
    [InlineData(
        "review: { when: \"score around 0.5\" }",
        2,
        "'when' is 'score around 0.5'; write a score rule such as \"score between 0.35 and 0.65\", \"score < 0.2\" or \"score >= 0.9\""
    )]
    [InlineData(
        "monitoring: { window: daily }",
        2,
        "'window' must be a duration such as 30m, 1h, 1d or 7d, not 'daily'"
    )]
    public void Parse_Mistake_NamesLineAndFix(string extra, int line, string problem)
    {
        var yaml = "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s }\n";
        var e = Refuse(yaml.Replace("\n", "\n", StringComparison.Ordinal) + extra);
        Assert.Equal(problem, e.Problem);
        Assert.Equal(line + 3, e.Line);
        Assert.Equal($"c.yaml:{line + 3}: {problem}", e.Message);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOneWithItsLine()
    {
        var e = Refuse(
            """
            feature: Spam Filter
            task: binary
            labels: { positive: y, negative: n }
            columns: { label: l, score: s }
            treshold: 0.4
            confidence: 2
            requirements:
              - { metric: recal, min: 0.9 }
              - { metric: precision, min: 0.8 }
              - { metric: recall, max_gap: 0.1 }
            monitoring: { window: daily }
            """
        );
        Assert.Equal(
            [
                (1, "'feature' is 'Spam Filter'; use lowercase letters, digits and dashes, such as spam-filter"),
                (5, "unknown key 'treshold' in the contract; did you mean 'threshold'?"),
                (6, "'confidence' is 2, outside 0.5 to 0.9999; write a confidence such as 0.95"),
                (8, "unknown metric 'recal'; did you mean 'recall'?"),
                (10, "'max_gap' compares segments with the overall figure, so it needs 'by: <segment column>'"),
                (11, "'window' must be a duration such as 30m, 1h, 1d or 7d, not 'daily'"),
            ],
            e.Errors.Select(x => (x.Line, x.Problem)).ToList()
        );
        Assert.Equal(6, e.Message.Split('\n').Length);
        Assert.StartsWith("c.yaml:1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadYaml_GivesTheLine()
    {
        var e = Refuse("feature: f\ntask: binary\n  labels: [\n");
        Assert.Equal(3, e.Line);
        Assert.StartsWith("not valid YAML:", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedBraceBeforeMoreLines_SaysWhereItOpenedAndWhatToWrite()
    {
        // YamlDotNet's scanner throws InvalidOperationException here, which was a 500 on PUT and a lost edit in the dashboard.
        var e = Refuse("feature: x\ntask: binary\nlabels: {positive: a, negative: b\nthreshold: 0.5\n");
        Assert.True(e.Line >= 3, e.Message);
        Assert.Contains(
            "the '{' opened at line 3, column 9 is not closed; end it with '}'",
            e.Problem,
            StringComparison.Ordinal
        );
        Assert.Matches(@"^c\.yaml:\d+:\d+: not valid YAML", e.Message);
    }

    [Fact]
    public void Parse_UnclosedBracket_SaysWhereItOpened()
    {
        var e = Refuse("feature: x\ntask: binary\nrequirements: [ {metric: recall, min: 0.9}\n");
        Assert.Contains(
            "the '[' opened at line 3, column 15 is not closed; end it with ']'",
            e.Problem,
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void Parse_NestedDeeperThanTheLimit_IsRefusedWithTheLine(string open, string close)
    {
        // 500 levels: deep enough to be refused, shallow enough not to overflow the stack if the bound were missing
        // (the 100,000-deep body is sent to a server in a child process, in Overlap.Cli.Tests).
        var depth = 500;
        var text =
            open == "- "
                ? "feature: x\nnest:\n"
                    + string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i * 2) + "-\n"))
                    + new string(' ', depth * 2)
                    + "x\n"
                : "feature: x\nnest: "
                    + string.Concat(Enumerable.Repeat(open, depth))
                    + "x"
                    + string.Concat(Enumerable.Repeat(close, depth))
                    + "\n";
        var e = Refuse(text);
        Assert.Contains("nested more than 64 levels deep", e.Problem, StringComparison.Ordinal);
        Assert.True(e.Line >= 2, e.Message);
    }

    [Fact]
    public void Parse_MissingRequiredKeys_SayWhatToWrite()
    {
        Assert.Equal("the contract needs 'feature', for example: feature: spam-filter", Refuse("task: binary").Problem);
        Assert.Equal(
            "'feature' is 'Spam Filter'; use lowercase letters, digits and dashes, such as spam-filter",
            Refuse("feature: Spam Filter\ntask: binary").Problem
        );
        Assert.Equal(
            "'task' is 'ranking'; write binary, multiclass, regression or generative",
            Refuse("feature: f\ntask: ranking").Problem
        );
        Assert.Equal(
            "a binary contract needs 'columns.score' (the probability of the positive label) or 'columns.prediction'",
            Refuse("feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l }").Problem
        );
        Assert.StartsWith("the contract is empty", Refuse("  \n").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RegressionAndMulticlass_ReadTheirShapes()
    {
        var r = ContractParser.Parse(
            "feature: eta\ntask: regression\ncolumns: { label: actual, prediction: predicted }\nrequirements:\n  - { metric: mae, max: 4.5 }\n  - { metric: r2, min: 0.6 }\n"
        );
        Assert.Equal(TaskKind.Regression, r.Task);
        Assert.Equal(4.5, r.Requirements[0].Value);
        var m = ContractParser.Parse(
            "feature: router\ntask: multiclass\nlabels: { classes: [billing, tech, sales] }\ncolumns: { label: team, prediction: routed }\nrequirements:\n  - { metric: macro_f1, min: 0.7 }\n"
        );
        Assert.Equal(["billing", "tech", "sales"], m.Labels.Classes);
    }

    [Theory]
    [InlineData("score < 0.2", double.NegativeInfinity, 0.2, false)]
    [InlineData("score <= 0.2", double.NegativeInfinity, 0.2, true)]
    [InlineData("score >= 0.9", 0.9, double.PositiveInfinity, true)]
    public void ParseWhen_Comparisons_IncludeOrExcludeTheEdge(string rule, double low, double high, bool edgeIncluded)
    {
        var (l, h) = ContractParser.ParseWhen(rule)!.Value;
        var policy = new ReviewPolicy
        {
            When = rule,
            ScoreLow = l,
            ScoreHigh = h,
        };
        Assert.Equal(edgeIncluded, policy.Routes(double.IsInfinity(low) ? high : low));
        Assert.True(double.IsInfinity(low) ? double.IsNegativeInfinity(l) : l == low);
        Assert.True(double.IsInfinity(high) ? double.IsPositiveInfinity(h) : Math.Abs(h - high) < 1e-15);
    }

    [Fact]
    public void Explain_DesignExample_SpeaksInTheContractsWords()
    {
        var text = ContractExplainer.Explain(ContractParser.Parse(Valid));
        Assert.Contains("Catch at least 90% of spam emails.", text, StringComparison.Ordinal);
        Assert.Contains(
            "At most 1% of legitimate emails may be moved to the spam folder by mistake.",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "No sender_tld group may fall more than 5 percentage points below the overall recall.",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains("One false alarm costs as much as 40 missed spam emails.", text, StringComparison.Ordinal);
        Assert.Contains("judged at 90% confidence", text, StringComparison.Ordinal);
        Assert.Contains(
            "Cases whose score is between 0.35 and 0.65 go to a person; 2% of all cases are picked at random",
            text,
            StringComparison.Ordinal
        );
    }
}
