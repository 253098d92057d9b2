using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Overlap.Guard.Tests.Chat;

/// <summary>
/// A model that answers badly on purpose: its answers are given in order (the last one repeats), each with a response
/// id, the model's name and token usage, and each moves the fake clock by <see cref="Step"/>. It can throw instead.
/// It keeps every conversation it was asked, so a test sees what a retry added.
/// </summary>
internal sealed class StandInModel(FakeTimeProvider time, params string[] answers) : IChatClient
{
    private readonly List<IReadOnlyList<ChatMessage>> _asked = [];

    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(250);

    public Exception? Failure { get; init; }

    public UsageDetails Usage { get; init; } = new() { InputTokenCount = 100, OutputTokenCount = 20 };

    public IReadOnlyList<IReadOnlyList<ChatMessage>> Asked => _asked;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        _asked.Add([.. messages]);
        time.Advance(Step);
        if (Failure is not null)
        {
            return Task.FromException<ChatResponse>(Failure);
        }
        var text = answers[Math.Min(_asked.Count, answers.Length) - 1];
        return Task.FromResult(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ResponseId = $"chatcmpl-{_asked.Count}",
                ModelId = "gpt-4o-mini",
                Usage = Usage,
            }
        );
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
