using Overlap.Events;

namespace Overlap.Client;

/// <summary>How <see cref="OverlapChatClient"/> logs each call of a chat client as a prediction.</summary>
public sealed class OverlapChatOptions
{
    /// <summary>The client that sends the events; when null, the <see cref="IOverlapClient"/> registered by
    /// <c>AddOverlap</c>.</summary>
    public IOverlapClient? Client { get; set; }

    /// <summary>The prompt's name; with <see cref="PromptVersion"/> it is logged as <c>model_version</c>
    /// "name@version".</summary>
    public string? PromptName { get; set; }

    /// <summary>The prompt's version (e.g. "3" or "2026-11-23").</summary>
    public string? PromptVersion { get; set; }

    /// <summary>
    /// Prices by model id (as the provider names it in the response, e.g. "gpt-4o-mini"), compared ignoring case. A
    /// call to a
    /// model not in the table is logged with no cost, never with a cost of 0.
    /// </summary>
    public IDictionary<string, ModelPrice> Prices { get; } =
        new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Segments logged with every call as attributes (e.g. channel = "email"); a call can add its
    /// own.</summary>
    public IDictionary<string, string> Segments { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The most characters of the input messages logged; past it the oldest messages are left out first (and counted
    /// in <c>omitted_messages</c>), then the start of the oldest kept one is cut.
    /// </summary>
    public int MaxInputLength { get; set; } = 16_000;

    /// <summary>The most characters of the output logged; a longer output is cut at its end.</summary>
    public int MaxOutputLength { get; set; } = 64_000;

    /// <summary>The clock for the prediction's time and latency; a fake one in tests.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
