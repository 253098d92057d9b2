using Microsoft.Extensions.AI;
using Overlap.Core.Workflow;

namespace Overlap.Guard;

/// <summary>What a fallback is handed: the call's messages and options, why the guard fell back, and the model's last answer.</summary>
/// <param name="Messages">The messages of the call, as the caller sent them.</param>
/// <param name="Options">The call's options.</param>
/// <param name="Failures">The expectations or checks that failed (empty when the guard fell back because it failed itself).</param>
/// <param name="LastAnswer">The model's last answer, when it was asked.</param>
public sealed record GuardFallbackContext(
    IReadOnlyList<ChatMessage> Messages,
    ChatOptions? Options,
    IReadOnlyList<GuardFailure> Failures,
    ChatResponse? LastAnswer
);
