using Microsoft.Extensions.AI;

namespace Overlap.Client;

/// <summary>
/// <c>builder.UseOverlap("reply-drafter", o => o.PromptName = "reply")</c> in a Microsoft.Extensions.AI pipeline,
/// and the prediction id a logged response carries.
/// </summary>
public static class OverlapChatExtensions
{
    /// <summary>
    /// Adds <see cref="OverlapChatClient"/> to the pipeline: every call is logged as a prediction of
    /// <paramref name="feature"/>. The events go through <see cref="OverlapChatOptions.Client"/>, or else the
    /// <see cref="IOverlapClient"/> registered with <c>services.AddOverlap(…)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the pipeline is built with neither a client set nor one
    /// registered.</exception>
    public static ChatClientBuilder UseOverlap(
        this ChatClientBuilder builder,
        string feature,
        Action<OverlapChatOptions>? configure = null
    )
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new OverlapChatOptions();
        configure?.Invoke(options);
        return builder.Use(
            (inner, services) =>
                new OverlapChatClient(
                    inner,
                    options.Client
                        ?? services.GetService(typeof(IOverlapClient)) as IOverlapClient
                        ?? throw new InvalidOperationException(
                            "UseOverlap needs an IOverlapClient: register one with services.AddOverlap(…) or set OverlapChatOptions.Client"
                        ),
                    feature,
                    options
                )
        );
    }

    /// <summary>The id of the prediction Overlap logged for this response, for feedback; null when it did not pass
    /// through <c>UseOverlap</c>.</summary>
    public static string? GetOverlapPredictionId(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(OverlapChatKeys.PredictionId, out var id) == true
            ? id as string
            : null;
    }

    /// <summary>The id of the prediction Overlap logs for the streamed response this update belongs to.</summary>
    public static string? GetOverlapPredictionId(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(OverlapChatKeys.PredictionId, out var id) == true
            ? id as string
            : null;
    }
}
