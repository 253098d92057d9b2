namespace Overlap.Core.Contracts;

/// <summary>The words statements use for the feature's examples and its action.</summary>
public sealed record ContractWords
{
    /// <summary>What a positive example is called ("spam email").</summary>
    public string Positive { get; init; } = "positive case";

    /// <summary>What a negative example is called ("legitimate email").</summary>
    public string Negative { get; init; } = "negative case";

    /// <summary>What happens to a flagged example ("moved to the spam folder").</summary>
    public string Action { get; init; } = "flagged";

    /// <summary>What a single example is called ("email", "ticket").</summary>
    public string Example { get; init; } = "case";

    /// <summary>Generative: what one output is called ("draft"); statements use its plural ("9 in 10 drafts").</summary>
    public string Output { get; init; } = "output";
}
