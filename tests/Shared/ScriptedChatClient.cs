using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Overlap.Tests.Shared;

/// <summary>
/// A chat client that answers with fixed responses, as a provider would: a response with its id, model and usage, or a
/// stream of updates ending in usage. Each answer (each streamed update) moves the fake clock by <see cref="Step"/>.
/// It can fail instead: before answering, or after some updates of a stream.
/// </summary>
internal sealed class ScriptedChatClient(FakeTimeProvider time) : IChatClient
{
    public ChatResponse? Response { get; init; }

    public IReadOnlyList<ChatResponseUpdate> Updates { get; init; } = [];

    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(250);

    public Exception? Failure { get; init; }

    /// <summary>How many updates a failing stream yields before it throws.</summary>
    public int FailAfter { get; init; }

    public string? DefaultModel { get; init; }

    /// <summary>The messages of the last call, as the client was handed them.</summary>
    public IReadOnlyList<ChatMessage> Received { get; private set; } = [];

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        Received = [.. messages];
        time.Advance(Step);
        return Failure is null ? Task.FromResult(Response!) : Task.FromException<ChatResponse>(Failure);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        Received = [.. messages];
        var sent = 0;
        foreach (var update in Updates)
        {
            if (Failure is not null && sent == FailAfter)
            {
                throw Failure;
            }
            await Task.Yield();
            time.Advance(Step);
            sent++;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, DefaultModel)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() { }
}
