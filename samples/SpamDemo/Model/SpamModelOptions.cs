namespace Overlap.Demo.Model;

/// <summary>How a <see cref="SpamModel"/> is trained. The same options and examples give the same model, bit for bit.</summary>
public sealed record SpamModelOptions
{
    /// <summary>The seed of ML.NET's <c>MLContext</c>.</summary>
    public int Seed { get; init; } = 20021001;

    /// <summary>Only the start of a long body is read (the model's cost grows with the text; the start says enough).</summary>
    public int MaxBodyChars { get; init; } = 20_000;

    /// <summary>The L2 weight of the logistic regression; null lets SDCA choose from the data.</summary>
    public float? L2Regularization { get; init; }

    /// <summary>Passes over the data at most; null lets SDCA choose.</summary>
    public int? Iterations { get; init; }
}
