using Overlap.Demo.Corpus;

namespace Overlap.Demo.Model;

/// <summary>One labelled example for training: the text the model reads and the label to learn.</summary>
/// <param name="Subject">The decoded subject.</param>
/// <param name="Body">The body as text.</param>
/// <param name="IsSpam">The label.</param>
public sealed record SpamExample(string Subject, string Body, bool IsSpam)
{
    /// <summary>The message with its true label.</summary>
    public static SpamExample From(SpamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SpamExample(message.Subject, message.Body, message.IsSpam);
    }

    /// <summary>The message with a label given elsewhere (a reviewer's decision, an outcome from production).</summary>
    public static SpamExample From(SpamMessage message, bool isSpam)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SpamExample(message.Subject, message.Body, isSpam);
    }
}
