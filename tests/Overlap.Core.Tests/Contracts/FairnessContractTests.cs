using Overlap.Core.Contracts;

namespace Overlap.Core.Tests.Contracts;

/// <summary>The contract's fairness section: what it reads and how it refuses a mistake, with the line and the fix.</summary>
public sealed class FairnessContractTests
{
    private const string Head =
        "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s }\n";

    [Fact]
    public void Parse_FairnessSection_ReadsAttributesIntersectionsAndBars()
    {
        var contract = ContractParser.Parse(
            Head
                + "fairness:\n  attributes: [sex, race]\n  intersections: [[sex, race]]\n  min_group_size: 50\n"
                + "  requirements:\n    - { metric: selection_rate_ratio, by: sex, min: 0.8 }\n"
                + "    - { metric: equalized_odds_difference, by: [sex, race], max: 0.1 }\n"
        );
        var f = contract.Fairness!;
        Assert.Equal(["sex", "race"], f.Attributes);
        Assert.Equal(["sex", "race"], Assert.Single(f.Intersections));
        Assert.Equal(50, f.MinGroupSize);
        Assert.Equal(
            [
                ("selection_rate_ratio", "sex", Bound.Min, 0.8, 10),
                ("equalized_odds_difference", "sex × race", Bound.Max, 0.1, 11),
            ],
            f.Requirements.Select(r => (r.Metric, FairnessPolicy.Name(r.By), r.Bound, r.Value, r.Line))
        );
        Assert.Equal(["sex", "race", "sex × race"], f.Groupings().Select(FairnessPolicy.Name));
    }

    [Fact]
    public void Parse_NoFairnessSection_IsNullAndDefaultsToThirtyPerGroup()
    {
        Assert.Null(ContractParser.Parse(Head).Fairness);
        Assert.Equal(30, ContractParser.Parse(Head + "fairness: { attributes: [sex] }").Fairness!.MinGroupSize);
    }

    [Theory]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: demographic_parity, by: sex, min: 0.8 }",
        4,
        "unknown fairness metric 'demographic_parity'; use one of: selection_rate_ratio, selection_rate_difference, equal_opportunity_difference, false_positive_rate_difference, equalized_odds_difference, calibration_error_difference"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: selection_rate_ration, by: sex, min: 0.8 }",
        4,
        "unknown fairness metric 'selection_rate_ration'; did you mean 'selection_rate_ratio'?"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: selection_rate_ratio, by: race, min: 0.8 }",
        4,
        "'by' names 'race', which is not in 'fairness.attributes'; add it there, such as attributes: [sex, race]"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex, race]\n  intersections: [[sex, income]]",
        3,
        "an intersection names 'income', which is not in 'fairness.attributes'; add it there, such as attributes: [sex, race, income]"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex, race]\n  intersections: [[sex]]",
        3,
        "an intersection combines two or more attributes, such as [sex, race]"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: selection_rate_difference, by: sex }",
        4,
        "a fairness requirement has exactly one of 'min' or 'max'; a difference is held to a max, such as { metric: selection_rate_difference, by: sex, max: 0.1 }"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: selection_rate_ratio, by: sex, min: 80 }",
        4,
        "'min' is 80, outside 0 to 1; fairness measures lie between 0 and 1"
    )]
    [InlineData(
        "fairness:\n  attributes: [l]",
        2,
        "'l' is the contract's label, score, prediction or id column, not a sensitive attribute; name the column that holds the group"
    )]
    [InlineData(
        "fairness:\n  attributes: [sex]\n  min_grop_size: 10",
        3,
        "unknown key 'min_grop_size' in 'fairness'; did you mean 'min_group_size'?"
    )]
    public void Parse_FairnessMistake_NamesLineAndFix(string extra, int line, string problem)
    {
        var e = Assert.Throws<ContractException>(() => ContractParser.Parse(Head + extra, "c.yaml"));
        var only = e.Errors.Count > 0 ? Assert.Single(e.Errors) : e;
        Assert.Equal(problem, only.Problem);
        Assert.Equal(line + 4, only.Line);
    }

    [Fact]
    public void Parse_FairnessOnAMulticlassContract_IsRefused()
    {
        var e = Assert.Throws<ContractException>(() =>
            ContractParser.Parse(
                "feature: f\ntask: multiclass\nlabels: [a, b]\ncolumns: { label: l, prediction: p }\nfairness: { attributes: [sex] }",
                "c.yaml"
            )
        );
        Assert.Contains(
            "'fairness' compares the decisions of a binary model between groups; a multiclass contract cannot have it",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Parse_CalibrationGapWithoutAScore_IsRefused()
    {
        var e = Assert.Throws<ContractException>(() =>
            ContractParser.Parse(
                "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, prediction: p }\n"
                    + "fairness:\n  attributes: [sex]\n  requirements:\n    - { metric: calibration_error_difference, by: sex, max: 0.05 }",
                "c.yaml"
            )
        );
        Assert.Contains(
            "c.yaml:8: 'calibration_error_difference' needs the model's score; add 'columns.score' or drop the requirement",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Explain_FairnessBars_AreSaidAsPromises()
    {
        var text = ContractExplainer.Explain(
            ContractParser.Parse(
                Head
                    + "words: { example: applicant, positive: suitable applicant, negative: unsuitable applicant, action: shortlisted }\n"
                    + "fairness:\n  attributes: [sex, race]\n  intersections: [[sex, race]]\n  requirements:\n"
                    + "    - { metric: selection_rate_ratio, by: sex, min: 0.8 }\n"
                    + "    - { metric: equal_opportunity_difference, by: [sex, race], max: 0.1 }\n"
            )
        );
        Assert.Contains(
            "  Decisions are compared between the groups of sex, race, sex × race; a bar is judged only when every group has at least 30 applicants behind the rate it compares.",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "  - Between the groups of sex, the least shortlisted group is shortlisted at least 0.8 times as often as the most shortlisted (the four-fifths rule).",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "  - Between the groups of sex × race, the shares of suitable applicants shortlisted differ by at most 0.1.",
            text,
            StringComparison.Ordinal
        );
    }
}
