using System.Text.Json;
using Overlap.Demo.Corpus;
using Overlap.Events;

namespace Overlap.Demo.Data;

/// <summary>
/// A scored message as the events production sends for the spam-filter contract: the same columns as
/// <see cref="SpamDemoData.WriteScoredCsv(TextWriter, IReadOnlyList{SpamMessage}, IReadOnlyList{double})"/>, so the
/// replay and the evaluation before release read the same figures. Segments go in <c>attributes</c>; the watched
/// inputs, plus the subject and the start of the body for a reviewer to read, in <c>inputs</c>.
/// </summary>
public static class SpamEvents
{
    /// <summary>The contract's feature slug.</summary>
    public const string Feature = "spam-filter";

    private const int PreviewChars = 400;

    /// <summary>The prediction event for <paramref name="message"/> scored <paramref name="score"/>, its id the message's.</summary>
    /// <param name="message">The message.</param>
    /// <param name="score">The model's probability of spam.</param>
    /// <param name="modelVersion">The model's version, e.g. <c>v1</c>.</param>
    /// <param name="time">When it is sent (the replay's clock); the message's own date when null.</param>
    /// <param name="threshold">The contract's threshold: the decision is spam at or above it.</param>
    public static PredictionEvent Prediction(
        SpamMessage message,
        double score,
        string modelVersion,
        DateTimeOffset? time = null,
        double threshold = 0.8
    )
    {
        ArgumentNullException.ThrowIfNull(message);
        var inputs = new Dictionary<string, object>
        {
            ["subject_length"] = message.Subject.Length,
            ["body_length"] = message.Body.Length,
            ["links"] = message.Links,
            ["attachments"] = message.Attachments,
            ["subject"] = message.Subject,
            ["sender_domain"] = message.SenderDomain ?? "",
            ["preview"] = message.Body.Length > PreviewChars ? message.Body[..PreviewChars] : message.Body,
        };
        return new PredictionEvent
        {
            Id = message.Id,
            Time = time
                ?? message.Date
                ?? throw new ArgumentException($"{message.Id} has no date; pass the time", nameof(time)),
            Feature = Feature,
            ModelVersion = modelVersion,
            Score = score,
            Prediction = score >= threshold ? "spam" : "ham",
            InputsJson = JsonSerializer.Serialize(inputs),
            AttributesJson = JsonSerializer.Serialize(
                new Dictionary<string, string> { ["sender_domain_type"] = message.SenderDomainType }
            ),
        };
    }

    /// <summary>The true label of <paramref name="message"/> arriving at <paramref name="time"/>, for its prediction.</summary>
    public static OutcomeEvent Outcome(SpamMessage message, DateTimeOffset time, string source = "user")
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutcomeEvent
        {
            Id = message.Id + "/outcome",
            Time = time,
            PredictionId = message.Id,
            Label = message.Label,
            Source = source,
        };
    }
}
