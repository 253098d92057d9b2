using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Overlap.Core.Sampling;

namespace Overlap.Samples.MailPreview;

/// <summary>The mistake the stand-in model makes on purpose on an email (see <see cref="PreviewChatClient"/>).</summary>
internal enum StandInMistake
{
    /// <summary>It answers with the previewer's preview.</summary>
    None,

    /// <summary>
    /// It ignores "one line" and answers with every sentence of the email run together (longer than the preview may
    /// be); told that <c>short_enough</c> failed, it answers again with the previewer's preview.
    /// </summary>
    Rambles,

    /// <summary>Its answer is empty, as a hosted model's is when its content filter stops it, on every attempt.</summary>
    Filtered,
}

/// <summary>
/// The previewer behind Microsoft.Extensions.AI's <see cref="IChatClient"/>, standing in for a hosted model: the
/// application calls it as it would call one, and Overlap's middleware sees it the same way. The first user message is
/// the email's body; the answer is its preview. Usage counts words as tokens (the local model has no billing tokens).
/// With a conversation id (the email's id), it makes the mistakes <see cref="MistakeOf"/> scripts for that email, and
/// reads a follow-up user message after its own answer as a real model would: a message naming <c>short_enough</c>
/// gets the preview cut to length.
/// </summary>
internal sealed class PreviewChatClient(Previewer previewer, PreviewStrategy strategy) : IChatClient
{
    /// <summary>The share of emails whose answer the content filter stops (an empty answer on every attempt).</summary>
    public const double FilteredShare = 0.025;

    /// <summary>The share of emails the model rambles on, among those whose sentences together exceed the preview.</summary>
    public const double RamblesShare = 0.12;

    /// <summary>
    /// The mistake scripted for the email <paramref name="id"/> with <paramref name="body"/>: by the email's sampling
    /// key ("stand-in:" and the id), the lowest <see cref="FilteredShare"/> are filtered, the next
    /// <see cref="RamblesShare"/> ramble when their sentences together are longer than <see cref="Previewer.MaxLength"/>.
    /// </summary>
    public static StandInMistake MistakeOf(string id, string body)
    {
        var u = StableSample.Uniform("stand-in:" + id);
        return u < FilteredShare ? StandInMistake.Filtered
            : u < FilteredShare + RamblesShare && Rambling(body).Length > Previewer.MaxLength ? StandInMistake.Rambles
            : StandInMistake.None;
    }

    /// <summary>The rambling answer: every sentence of the email, run together on one line.</summary>
    public static string Rambling(string body) => string.Join(' ', MailText.Sentences(body));

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var conversation = messages as IList<ChatMessage> ?? [.. messages];
        var body = conversation.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var lastAnswer = LastIndex(conversation, ChatRole.Assistant);
        // What the application said after the model's last answer: the guard's retry message, on a second attempt.
        var feedback =
            lastAnswer < 0
                ? ""
                : string.Join(
                    '\n',
                    conversation.Skip(lastAnswer + 1).Where(m => m.Role == ChatRole.User).Select(m => m.Text)
                );
        var mistake = options?.ConversationId is { } id ? MistakeOf(id, body) : StandInMistake.None;
        var preview = mistake switch
        {
            StandInMistake.Filtered => "",
            StandInMistake.Rambles when !feedback.Contains("short_enough", StringComparison.Ordinal) => Rambling(body),
            _ => previewer.Preview(body, strategy),
        };
        var read = conversation.Sum(m => MailText.Words(m.Text));
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, preview))
        {
            // A hosted model names its response itself; here the conversation (the email) and the version name it,
            // so a replay gives each preview the same id on every run.
            ResponseId = options?.ConversationId is { } conversationId
                ? $"{conversationId}.{Previewer.VersionOf(strategy)}"
                : null,
            ModelId = Previewer.VersionOf(strategy),
            ConversationId = options?.ConversationId,
            FinishReason = mistake == StandInMistake.Filtered ? ChatFinishReason.ContentFilter : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = read,
                OutputTokenCount = MailText.Words(preview),
                TotalTokenCount = read + MailText.Words(preview),
            },
        };
        return Task.FromResult(response);
    }

    private static int LastIndex(IList<ChatMessage> conversation, ChatRole role)
    {
        for (var i = conversation.Count - 1; i >= 0; i--)
        {
            if (conversation[i].Role == role)
            {
                return i;
            }
        }
        return -1;
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
