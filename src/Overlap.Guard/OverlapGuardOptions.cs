namespace Overlap.Guard;

/// <summary>How an <see cref="OverlapGuard"/> reads its contract and logs its calls.</summary>
public sealed class OverlapGuardOptions
{
    /// <summary>The text of each JSON schema file the contract's workflow names, by the path the contract writes; <see cref="OverlapGuard.FromFile"/> reads them beside the contract.</summary>
    public IDictionary<string, string> Schemas { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The model version logged with every prediction (such as "v3").</summary>
    public string? ModelVersion { get; set; }

    /// <summary>The decision threshold; null for the contract's <c>threshold</c>.</summary>
    public double? Threshold { get; set; }

    /// <summary>Log each call's inputs with its prediction (the contract's privacy rules still apply at the server).</summary>
    public bool LogInputs { get; set; } = true;

    /// <summary>The clock for the prediction's time and latency; a fake one in tests.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
