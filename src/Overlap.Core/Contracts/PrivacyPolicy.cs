namespace Overlap.Core.Contracts;

/// <summary>The contract's <c>privacy:</c> section: what the store may keep of each field, for how long, and whose it is.</summary>
public sealed record PrivacyPolicy
{
    /// <summary>The name that stands for a generative prediction's output text in <see cref="Fields"/>.</summary>
    public const string OutputField = "output";

    /// <summary>The policy of every field not named in <see cref="Fields"/>.</summary>
    public FieldPolicy Default { get; init; } = FieldPolicy.Keep;

    /// <summary>Field name (an input, an attribute, or <see cref="OutputField"/>) → policy.</summary>
    public IReadOnlyDictionary<string, FieldPolicy> Fields { get; init; } = new Dictionary<string, FieldPolicy>();

    /// <summary>The input or attribute that identifies the person an event is about; always hashed, and what erasure matches.</summary>
    public string? Subject { get; init; }

    /// <summary>How long raw inputs and outputs are kept; null for as long as the store lives.</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>True when every field is kept as sent: nothing to do at ingest.</summary>
    public bool KeepsAll =>
        Default == FieldPolicy.Keep && Subject is null && Fields.Values.All(p => p == FieldPolicy.Keep);

    /// <summary>The policy of field <paramref name="name"/>: the subject is hashed, a named field has its own, others the default.</summary>
    public FieldPolicy For(string name) =>
        string.Equals(name, Subject, StringComparison.Ordinal) ? FieldPolicy.Hash
        : Fields.TryGetValue(name, out var policy) ? policy
        : Default;
}
