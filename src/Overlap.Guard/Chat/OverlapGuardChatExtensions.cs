using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Events;

namespace Overlap.Guard;

/// <summary><c>builder.UseOverlapGuard(guard, o =&gt; o.AddFallback("canned-reply", …))</c> in a Microsoft.Extensions.AI pipeline.</summary>
public static class OverlapGuardChatExtensions
{
    /// <summary>
    /// Adds <see cref="OverlapGuardChatClient"/> to the pipeline: every call is checked and routed by
    /// <paramref name="guard"/>'s contract and logged once, through the guard's client. It replaces <c>UseOverlap()</c>,
    /// which must not be in the same pipeline (building one with both throws).
    /// </summary>
    public static ChatClientBuilder UseOverlapGuard(
        this ChatClientBuilder builder,
        OverlapGuard guard,
        Action<OverlapGuardChatOptions>? configure = null
    )
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(guard);
        var options = Options(configure);
        return builder.Use(inner => new OverlapGuardChatClient(inner, guard, options));
    }

    /// <summary>
    /// Adds <see cref="OverlapGuardChatClient"/> guarded by the contract in the file <paramref name="contractPath"/> (its
    /// JSON schemas read beside it), logging through the <see cref="IOverlapClient"/> registered with
    /// <c>services.AddOverlap(…)</c>. The contract is read when the pipeline is built.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the pipeline is built with no IOverlapClient registered.</exception>
    public static ChatClientBuilder UseOverlapGuard(
        this ChatClientBuilder builder,
        string contractPath,
        Action<OverlapGuardChatOptions>? configure = null
    )
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(contractPath);
        var options = Options(configure);
        return builder.Use(
            (inner, services) =>
                new OverlapGuardChatClient(
                    inner,
                    OverlapGuard.FromFile(
                        contractPath,
                        services.GetService(typeof(IOverlapClient)) as IOverlapClient
                            ?? throw new InvalidOperationException(
                                "UseOverlapGuard needs an IOverlapClient: register one with services.AddOverlap(…), or pass an OverlapGuard"
                            )
                    ),
                    options
                )
        );
    }

    private static OverlapGuardChatOptions Options(Action<OverlapGuardChatOptions>? configure)
    {
        var options = new OverlapGuardChatOptions();
        configure?.Invoke(options);
        return options;
    }

    /// <summary>What the guard did with the call that gave this response; null when it did not pass through <c>UseOverlapGuard</c>.</summary>
    public static WorkflowTrace? GetOverlapWorkflow(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(OverlapGuardKeys.Workflow, out var trace) == true
            ? trace as WorkflowTrace
            : null;
    }
}
