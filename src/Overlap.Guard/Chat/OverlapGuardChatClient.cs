using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Core.Workflow;
using Overlap.Events;

namespace Overlap.Guard;

/// <summary>
/// A chat-client middleware that enforces a contract's workflow on every call: the input expectations before the
/// model is asked (the user's last message is the text field), the output checks and format after each answer, a
/// retry with the failure's message added to the conversation while attempts remain, then the fallback the
/// application registered or an escalation, as the contract says. Each call is logged as ONE prediction, as
/// <c>UseOverlap()</c> logs it, with the final output, the latency and cost of all attempts together, and its
/// <see cref="WorkflowTrace"/>; the trace is also on the response (<see cref="OverlapGuardChatExtensions.GetOverlapWorkflow"/>).
/// A failure of the guard itself never reaches the caller: it fails open or closed as the contract says. An
/// exception of the model is logged and rethrown unchanged, as <c>UseOverlap()</c> does. A streaming call is answered
/// once its whole answer has passed the checks.
/// </summary>
public sealed class OverlapGuardChatClient : DelegatingChatClient
{
    private readonly OverlapGuard _guard;
    private readonly WorkflowGuard _engine;
    private readonly OverlapGuardChatOptions _options;
    private readonly string? _textField;

    /// <summary>Guards <paramref name="innerClient"/> by <paramref name="guard"/>'s contract.</summary>
    /// <exception cref="InvalidOperationException">The inner pipeline already logs with <c>UseOverlap()</c>, or a fallback the contract names is not registered.</exception>
    public OverlapGuardChatClient(IChatClient innerClient, OverlapGuard guard, OverlapGuardChatOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
        _engine = guard.Engine;
        _options = options ?? new OverlapGuardChatOptions();
        if (innerClient.GetService(typeof(OverlapChatClient)) is not null)
        {
            throw new InvalidOperationException(
                "UseOverlapGuard logs every call itself, once with all its attempts; remove UseOverlap() from the pipeline (its options go in OverlapGuardChatOptions.Logging)"
            );
        }
        if (_engine.Policy.Fallback is { } name && _options.Fallback(name) is null)
        {
            throw new InvalidOperationException(
                $"the contract's workflow names the fallback '{name}'; register it with options.AddFallback(\"{name}\", …)"
            );
        }
        _textField = _engine.Policy.Input.Text?.Field ?? _engine.Contract.Columns.Input;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var input = messages as IList<ChatMessage> ?? [.. messages];
        var time = _options.Logging.Time;
        var call = new ChatCall(time.GetUtcNow(), time.GetTimestamp(), input, options);
        var run = new GuardRun(input, options);
        Outcome outcome;
        try
        {
            outcome = await GuardAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ReferenceEquals(e, run.ModelError) || cancellationToken.IsCancellationRequested)
        {
            Log(call, run, null, null, e);
            throw;
        }
#pragma warning disable CA1031 // A guard that fails never throws into the caller: the contract says where the call goes.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = await FaultAsync(run, e, cancellationToken).ConfigureAwait(false);
        }
        var id = ChatCall.IdOf(outcome.Response.ResponseId);
        var props = outcome.Response.AdditionalProperties ??= [];
        props[OverlapChatKeys.PredictionId] = id;
        props[OverlapGuardKeys.Workflow] = outcome.Trace;
        Log(call, run, id, outcome, null);
        return outcome.Response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        // The answer is checked whole before any of it is shown, so a guarded stream arrives at once.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private async Task<Outcome> GuardAsync(GuardRun run, CancellationToken cancellationToken)
    {
        var failures = _engine.CheckInput(Inputs(run));
        switch (_engine.AfterInput(failures))
        {
            case GuardNext.Reject:
                run.Fail(failures);
                return new Outcome(
                    Said(_options.RejectionText),
                    Trace(run, WorkflowRoutes.Reject, WorkflowGuard.Messages(failures)),
                    null
                );
            case GuardNext.Fallback:
                run.Fail(failures);
                return await FallbackAsync(run, failures, WorkflowGuard.Messages(failures), cancellationToken)
                    .ConfigureAwait(false);
            case GuardNext.Escalate:
                run.Fail(failures);
                return Escalated(run, _engine.EscalationReason(failures));
        }
        IList<ChatMessage> conversation = run.Messages;
        string? retried = null;
        for (var attempt = 1; ; attempt++)
        {
            var answer = await AskAsync(run, conversation, cancellationToken).ConfigureAwait(false);
            failures = _engine.CheckOutput(answer.Text);
            run.Fail(failures);
            switch (_engine.AfterOutput(attempt, failures))
            {
                case GuardNext.Use:
                    return new Outcome(
                        answer,
                        Trace(run, retried is null ? WorkflowRoutes.Direct : WorkflowRoutes.Retry, retried),
                        answer
                    );
                case GuardNext.Retry:
                    retried ??= $"the first answer failed {WorkflowGuard.Messages(failures)}";
                    conversation =
                    [
                        .. conversation,
                        .. answer.Messages,
                        new ChatMessage(ChatRole.User, _engine.RetryPrompt(failures)),
                    ];
                    continue;
                case GuardNext.Fallback:
                    return await FallbackAsync(run, failures, WorkflowGuard.Messages(failures), cancellationToken)
                        .ConfigureAwait(false);
                default:
                    return Escalated(run, _engine.EscalationReason(failures));
            }
        }
    }

    /// <summary>The guard failed: open passes the model's answer on unguarded (asking it when it was not yet asked); closed falls back, or escalates.</summary>
    private async Task<Outcome> FaultAsync(GuardRun run, Exception error, CancellationToken cancellationToken)
    {
        var reason = GuardFault.Reason(error, _engine.Policy.FailClosed);
        var next = _engine.AfterGuardError(scored: false);
        if (next == GuardNext.Use)
        {
            var answer = run.LastAnswer ?? await AskAsync(run, run.Messages, cancellationToken).ConfigureAwait(false);
            return new Outcome(
                answer,
                Trace(run, run.Attempts > 1 ? WorkflowRoutes.Retry : WorkflowRoutes.Direct, reason),
                answer
            );
        }
        if (next == GuardNext.Fallback && !run.FellBack)
        {
            try
            {
                return await FallbackAsync(run, [], reason, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The fallback failed too: the case goes to a person.
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                reason = GuardFault.Reason(e, closed: true);
            }
        }
        return Escalated(run, reason);
    }

    private async Task<ChatResponse> AskAsync(
        GuardRun run,
        IList<ChatMessage> conversation,
        CancellationToken cancellationToken
    )
    {
        ChatResponse answer;
        try
        {
            answer = await base.GetResponseAsync(conversation, run.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            run.ModelError = e;
            throw;
        }
        run.Attempts++;
        run.LastAnswer = answer;
        run.Add(answer, Model(answer, run.Options), _options.Logging);
        return answer;
    }

    private async Task<Outcome> FallbackAsync(
        GuardRun run,
        IReadOnlyList<GuardFailure> failures,
        string reason,
        CancellationToken cancellationToken
    )
    {
        run.FellBack = true;
        var name = _engine.Policy.Fallback!;
        var answer = await _options
            .Fallback(name)!(
                new GuardFallbackContext([.. run.Messages], run.Options, failures, run.LastAnswer),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (answer.Usage is not null || answer.ModelId is not null)
        {
            run.Add(answer, answer.ModelId, _options.Logging);
        }
        return new Outcome(
            answer,
            Trace(run, WorkflowRoutes.Fallback, $"{reason}; answered by the fallback '{name}'"),
            answer
        );
    }

    private Outcome Escalated(GuardRun run, string reason) =>
        // The caller is told a person will answer; the log keeps the model's last answer for the reviewer.
        new(Said(_options.EscalationText), Trace(run, WorkflowRoutes.Escalate, reason), run.LastAnswer);

    private static WorkflowTrace Trace(GuardRun run, string route, string? reason) =>
        new()
        {
            Route = route,
            Attempts = run.Attempts,
            FailedChecks = run.Failed,
            Reason = reason,
        };

    private static ChatResponse Said(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private Dictionary<string, object?> Inputs(GuardRun run)
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (run.Options?.AdditionalProperties is { } extra)
        {
            foreach (var (key, value) in extra)
            {
                if (key.StartsWith(OverlapGuardKeys.InputPrefix, StringComparison.Ordinal))
                {
                    inputs[key[OverlapGuardKeys.InputPrefix.Length..]] = value;
                }
            }
        }
        if (_textField is not null && !inputs.ContainsKey(_textField))
        {
            for (var i = run.Messages.Count - 1; i >= 0; i--)
            {
                if (run.Messages[i].Role == ChatRole.User)
                {
                    inputs[_textField] = run.Messages[i].Text;
                    break;
                }
            }
        }
        return inputs;
    }

    private string? Model(ChatResponse? answer, ChatOptions? options) =>
        answer?.ModelId
        ?? options?.ModelId
        ?? (GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;

    /// <summary>Queues the call's one prediction; whatever goes wrong here stays here.</summary>
    private void Log(ChatCall call, GuardRun run, string? id, Outcome? outcome, Exception? error)
    {
        try
        {
            var settings = _options.Logging;
            var logged = outcome?.Logged;
            var prediction = call.ToEvent(
                id,
                _engine.Contract.Feature,
                settings,
                logged,
                run.Model ?? Model(logged, run.Options),
                settings.Time.GetElapsedTime(call.Timestamp).TotalMilliseconds,
                error
            ) with
            {
                Cost = run.Cost,
                InputTokens = run.InputTokens,
                OutputTokens = run.OutputTokens,
                Workflow = outcome?.Trace,
            };
            _guard.Client.LogPrediction(prediction);
        }
#pragma warning disable CA1031 // The caller's call must never fail because of Overlap.
        catch (Exception) { }
#pragma warning restore CA1031
    }

    /// <summary>What the caller gets, the trace, and the answer logged as the prediction's output.</summary>
    private sealed record Outcome(ChatResponse Response, WorkflowTrace Trace, ChatResponse? Logged);
}
