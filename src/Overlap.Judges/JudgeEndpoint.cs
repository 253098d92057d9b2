namespace Overlap.Judges;

/// <summary>
/// A model judge's endpoint with every <c>env:NAME</c> value of the contract read: the base address, the model and
/// the key. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class JudgeEndpoint
{
    internal JudgeEndpoint(Uri address, string model, string? key)
    {
        (Address, Model, Key) = (address, model, key);
    }

    /// <summary>The OpenAI-compatible base address (for example <c>https://api.openai.com/v1</c>).</summary>
    public Uri Address { get; }

    /// <summary>The model's name at that endpoint.</summary>
    public string Model { get; }

    /// <summary>The API key, or null when the endpoint needs none.</summary>
    internal string? Key { get; }

    /// <summary>True when a key is set.</summary>
    public bool HasKey => Key is not null;

    /// <summary>The address and model, never the key.</summary>
    public override string ToString() => $"{Model} at {Address}";
}
