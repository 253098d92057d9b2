using Microsoft.Extensions.AI;
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
        var options = new OverlapGuardChatOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new OverlapGuardChatClient(inner, guard, options));
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
