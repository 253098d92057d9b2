using Overlap.Core.Generative;

namespace Overlap.Core.Contracts;

/// <summary>
/// The contract's <c>workflow:</c> section: what a call's input must look like before the model is asked, what its
/// output must pass after, and the route each failure takes (retry, fallback, escalate, abstain, reject).
/// </summary>
public sealed record WorkflowPolicy
{
    /// <summary>What an input must look like; empty when the contract expects nothing of it.</summary>
    public InputExpectations Input { get; init; } = new();

    /// <summary>The route of an input that fails an expectation: reject, fallback or escalate.</summary>
    public GuardRoute OnInputFailure { get; init; } = GuardRoute.Reject;

    /// <summary>Generative: the contract's checks every answer must pass, in contract order (none of them similar_to).</summary>
    public IReadOnlyList<OutputCheck> OutputChecks { get; init; } = [];

    /// <summary>Generative: the shape the answer must have (a JSON schema or a label set); null when any text will do.</summary>
    public AnswerFormat? Format { get; init; }

    /// <summary>Generative: the route of an answer that fails a check or the format: retry, fallback or escalate.</summary>
    public GuardRoute OnOutputFailure { get; init; } = GuardRoute.Retry;

    /// <summary>How answers are retried when <see cref="OnOutputFailure"/> is retry.</summary>
    public RetryPolicy Retry { get; init; } = new();

    /// <summary>The name of the alternative the application supplies (a rule, a template, a smaller model); null when none.</summary>
    public string? Fallback { get; init; }

    /// <summary>What an escalation says to the review queue.</summary>
    public EscalatePolicy Escalate { get; init; } = new();

    /// <summary>Binary: the uncertain score band where a person decides instead of the model; null when the model always decides.</summary>
    public AbstainBand? Abstain { get; init; }

    /// <summary>True when a guard that fails itself takes the fallback (or abstain, or escalate) route; false when the call proceeds unguarded.</summary>
    public bool FailClosed { get; init; }

    /// <summary>What a person's review of one case costs, in the contract's currency; null when not written.</summary>
    public double? ReviewCost { get; init; }

    /// <summary>True when an answer is checked at all (checks or a format).</summary>
    public bool ChecksOutput => OutputChecks.Count > 0 || Format is not null;
}

/// <summary>A route the contract can name for a failure.</summary>
public enum GuardRoute
{
    /// <summary>The call is refused; nothing is answered or scored.</summary>
    Reject,

    /// <summary>The model is asked again, with the failure added to the prompt.</summary>
    Retry,

    /// <summary>The application's named alternative answers instead.</summary>
    Fallback,

    /// <summary>The case goes to the review queue for a person.</summary>
    Escalate,
}

/// <summary>The workflow's input expectations, checked before the model is asked.</summary>
public sealed record InputExpectations
{
    /// <summary>Inputs that must be present and not empty.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Numeric inputs and the range each must lie in (bounds inclusive; infinite when not written).</summary>
    public IReadOnlyList<InputRange> Ranges { get; init; } = [];

    /// <summary>Categorical inputs and their allowed values.</summary>
    public IReadOnlyList<InputCategories> Categories { get; init; } = [];

    /// <summary>The largest share of the categorical inputs present whose value is not in its list; 0 refuses any.</summary>
    public double MaxUnseenShare { get; init; }

    /// <summary>The text input's length and script; null when not written.</summary>
    public TextExpectation? Text { get; init; }

    /// <summary>True when nothing is expected.</summary>
    public bool IsEmpty => Required.Count == 0 && Ranges.Count == 0 && Categories.Count == 0 && Text is null;
}

/// <summary>A numeric input's allowed range, bounds inclusive.</summary>
public sealed record InputRange(string Field, double Min, double Max);

/// <summary>A categorical input's allowed values (compared ordinally).</summary>
public sealed record InputCategories(string Field, IReadOnlyList<string> Allowed);

/// <summary>A text input's length in characters (Unicode code points) and, optionally, the script its letters are written in.</summary>
public sealed record TextExpectation
{
    /// <summary>The input that holds the text (for a chat call, the user's message).</summary>
    public required string Field { get; init; }

    /// <summary>The fewest characters allowed.</summary>
    public int MinLength { get; init; }

    /// <summary>The most characters allowed.</summary>
    public int MaxLength { get; init; } = int.MaxValue;

    /// <summary>The script (alphabet) most letters must be in, such as latin; null when any.</summary>
    public string? Script { get; init; }
}

/// <summary>The shape an answer must have: exactly one of a JSON schema file or a label set.</summary>
public sealed record AnswerFormat
{
    /// <summary>The JSON schema file, relative to the contract; null for a label set.</summary>
    public string? SchemaPath { get; init; }

    /// <summary>The labels the whole answer must be one of (trimmed, compared ordinally); empty for a schema.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}

/// <summary>How a failed answer is retried.</summary>
public sealed record RetryPolicy
{
    /// <summary>The most times the model is asked for one call, the first time included.</summary>
    public int MaxAttempts { get; init; } = 2;

    /// <summary>What is added to the prompt on a retry; <c>{failure}</c> stands for the failures' messages. Null for the default.</summary>
    public string? AddToPrompt { get; init; }

    /// <summary>The route when the last attempt still fails: fallback or escalate.</summary>
    public GuardRoute Then { get; init; } = GuardRoute.Escalate;
}

/// <summary>What an escalation tells the review queue.</summary>
public sealed record EscalatePolicy
{
    /// <summary>The reason given to the reviewer; null to give the failure's own message.</summary>
    public string? Reason { get; init; }

    /// <summary>The priority in the review queue: low, normal, high or urgent.</summary>
    public string Priority { get; init; } = "normal";
}

/// <summary>The uncertain score band: scores from <see cref="Low"/> to <see cref="High"/>, inclusive, are not decided by the model.</summary>
public sealed record AbstainBand(string When, double Low, double High)
{
    /// <summary>True when the score falls in the band.</summary>
    public bool Contains(double score) => score >= Low && score <= High;
}
