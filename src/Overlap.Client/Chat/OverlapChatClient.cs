using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Overlap.Client;

/// <summary>
/// A chat-client middleware that logs every call, streaming or not, as a prediction of a generative feature: the input
/// messages (bounded), the output text, token usage, cost from <see cref="OverlapChatOptions.Prices"/>, latency, the
/// conversation id, the prompt as <c>model_version</c> "name@version", the model, and segments. The event goes through
/// <see cref="IOverlapClient"/>'s queue, so a call never waits for Overlap and nothing Overlap does reaches the
/// caller; a call that fails is logged with its exception's type name in <c>error</c> and the exception is rethrown
/// unchanged. The prediction's id is the response's <c>ResponseId</c> (or a new one) and is written to the response's
/// (and each streamed update's) <c>AdditionalProperties</c> under <see cref="OverlapChatKeys.PredictionId"/>, so
/// feedback can name it: <see cref="OverlapChatExtensions.GetOverlapPredictionId(ChatResponse)"/>.
/// </summary>
public sealed partial class OverlapChatClient : DelegatingChatClient
{
    private readonly IOverlapClient _client;
    private readonly string _feature;
    private readonly OverlapChatOptions _options;

    /// <summary>Wraps <paramref name="innerClient"/>, logging its calls for <paramref name="feature"/> through
    /// <paramref name="client"/>.</summary>
    /// <exception cref="ArgumentException">The feature is not a slug of lower-case letters, digits and '-'.</exception>
    public OverlapChatClient(
        IChatClient innerClient,
        IOverlapClient client,
        string feature,
        OverlapChatOptions? options = null
    )
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(feature);
        if (!Slug().IsMatch(feature))
        {
            throw new ArgumentException(
                $"'{feature}' is not a feature name; name it with lower-case letters, digits and '-', as in its contract",
                nameof(feature)
            );
        }
        _client = client;
        _feature = feature;
        _options = options ?? new OverlapChatOptions();
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var input = messages as IList<ChatMessage> ?? [.. messages];
        var call = Begin(input, options);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(input, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log(call, null, null, e);
            throw;
        }
        var id = ChatCall.IdOf(response.ResponseId);
        (response.AdditionalProperties ??= [])[OverlapChatKeys.PredictionId] = id;
        Log(call, id, response, null);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var input = messages as IList<ChatMessage> ?? [.. messages];
        var call = Begin(input, options);
        var updates = new List<ChatResponseUpdate>();
        string? id = null;
        var logged = false;
        IAsyncEnumerator<ChatResponseUpdate> stream;
        try
        {
            stream = base.GetStreamingResponseAsync(input, options, cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e)
        {
            Log(call, null, null, e);
            throw;
        }
        try
        {
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e)
                {
                    logged = true;
                    Log(call, id, null, e);
                    throw;
                }
                var update = stream.Current;
                id ??= ChatCall.IdOf(update.ResponseId);
                (update.AdditionalProperties ??= [])[OverlapChatKeys.PredictionId] = id;
                updates.Add(update);
                yield return update;
            }
        }
        finally
        {
            // Also when the caller stops reading early: what it was shown is logged.
            if (!logged)
            {
                Log(call, id, updates.ToChatResponse(), null);
            }
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ChatCall Begin(IList<ChatMessage> input, ChatOptions? options) =>
        new(_options.Time.GetUtcNow(), _options.Time.GetTimestamp(), input, options);

    /// <summary>Queues the call's prediction; whatever goes wrong here stays here.</summary>
    private void Log(ChatCall call, string? id, ChatResponse? response, Exception? error)
    {
        try
        {
            var latency = _options.Time.GetElapsedTime(call.Timestamp).TotalMilliseconds;
            var model = response?.ModelId
                ?? call.Options?.ModelId
                ?? (GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
            _client.LogPrediction(call.ToEvent(id, _feature, _options, response, model, latency, error));
        }
#pragma warning disable CA1031 // The caller's call must never fail because of Overlap.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Nothing to do: the caller's call goes on without this prediction.
        }
    }

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();
}
