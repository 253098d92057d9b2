using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// The previewer behind Microsoft.Extensions.AI's <see cref="IChatClient"/>, so the application calls it as it would
/// call a hosted model, and Overlap's middleware sees it the same way. The last user message is the email's body; the
/// answer is its preview. Usage counts words as tokens (the local model has no billing tokens).
/// </summary>
internal sealed class PreviewChatClient(Previewer previewer, PreviewStrategy strategy) : IChatClient
{
    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var body = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var preview = previewer.Preview(body, strategy);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, preview))
        {
            // A hosted model names its response itself; here the conversation (the email) and the version name it,
            // so a replay gives each preview the same id on every run.
            ResponseId = options?.ConversationId is { } conversation
                ? $"{conversation}.{Previewer.VersionOf(strategy)}"
                : null,
            ModelId = Previewer.VersionOf(strategy),
            ConversationId = options?.ConversationId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = MailText.Words(body),
                OutputTokenCount = MailText.Words(preview),
                TotalTokenCount = MailText.Words(body) + MailText.Words(preview),
            },
        };
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata)
            ? new ChatClientMetadata("overlap-mail-preview", null, Previewer.VersionOf(strategy))
        : null;

    /// <inheritdoc />
    public void Dispose() { }
}
