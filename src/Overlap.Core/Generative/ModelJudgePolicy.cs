namespace Overlap.Core.Generative;

/// <summary>
/// The contract's <c>judges.model</c>: which OpenAI-compatible endpoint grades the rubric, how much of production it
/// grades and what it may spend. Values written <c>env:NAME</c> are kept as written here and read from the environment
/// by whoever calls the endpoint, so a contract never holds a key.
/// </summary>
public sealed record ModelJudgePolicy
{
    /// <summary>The endpoint's base address, or <c>env:NAME</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model's name at that endpoint, or <c>env:NAME</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The API key, or <c>env:NAME</c>; null when the endpoint needs none (a local Ollama).</summary>
    public string? Key { get; init; }

    /// <summary>The share of production outputs the model judge grades (0 to 1).</summary>
    public double Sample { get; init; }

    /// <summary>The most the judge may spend in one day, in the contract's currency; null for no limit.</summary>
    public double? BudgetPerDay { get; init; }
}
