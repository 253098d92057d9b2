using Microsoft.Extensions.AI;
using Overlap.Client;

namespace Overlap.Guard;

/// <summary>How <see cref="OverlapGuardChatClient"/> logs its calls, what it answers when it does not pass the model's answer on, and the fallbacks the contract names.</summary>
public sealed class OverlapGuardChatOptions
{
    private readonly Dictionary<string, Func<GuardFallbackContext, CancellationToken, Task<ChatResponse>>> _fallbacks =
        new(StringComparer.Ordinal);

    /// <summary>How each call is logged, as <c>UseOverlap()</c> logs it: prompt name and version, prices, segments, bounds and clock. Its <c>Client</c> is not used: the guard's client sends.</summary>
    public OverlapChatOptions Logging { get; } = new();

    /// <summary>The answer the caller gets when the case went to a person.</summary>
    public string EscalationText { get; set; } = "A person will look at this and answer shortly.";

    /// <summary>The answer the caller gets when the input was refused.</summary>
    public string RejectionText { get; set; } = "This request cannot be answered as it is.";

    /// <summary>Registers the fallback the contract names <paramref name="name"/>: a rule, a template, "no suggestion".</summary>
    public OverlapGuardChatOptions AddFallback(string name, Func<GuardFallbackContext, ChatResponse> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return AddFallback(name, (context, _) => Task.FromResult(fallback(context)));
    }

    /// <summary>Registers an asynchronous fallback under <paramref name="name"/>.</summary>
    public OverlapGuardChatOptions AddFallback(
        string name,
        Func<GuardFallbackContext, CancellationToken, Task<ChatResponse>> fallback
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks[name] = fallback;
        return this;
    }

    /// <summary>Registers another chat client (a smaller or older model) as the fallback <paramref name="name"/>: it is asked the call's messages.</summary>
    public OverlapGuardChatOptions AddFallback(string name, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AddFallback(name, (context, token) => client.GetResponseAsync(context.Messages, context.Options, token));
    }

    internal Func<GuardFallbackContext, CancellationToken, Task<ChatResponse>>? Fallback(string name) =>
        _fallbacks.GetValueOrDefault(name);
}
