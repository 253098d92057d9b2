namespace Overlap.Demo.Corpus;

/// <summary>One parsed message of the corpus: what the model reads and what the contract's columns name.</summary>
public sealed record SpamMessage
{
    /// <summary>The id unique over the corpus: <c>group/number</c>, e.g. <c>spam-2/00001</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The corpus group: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c> or <c>spam-2</c>.</summary>
    public required string Group { get; init; }

    /// <summary>The true label, from the group.</summary>
    public required bool IsSpam { get; init; }

    /// <summary>The label as the contract writes it: <c>spam</c> or <c>ham</c>.</summary>
    public string Label => IsSpam ? "spam" : "ham";

    /// <summary>The <c>Message-ID</c> header without angle brackets, or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>When it was sent, or null when no header gave a usable date (see <see cref="DateSource"/>).</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Which header the date came from.</summary>
    public required MessageDateSource DateSource { get; init; }

    /// <summary>The subject, RFC 2047 words decoded, unfolded; empty when there is none.</summary>
    public required string Subject { get; init; }

    /// <summary>The body as text: the text/plain part, else the HTML part with tags and entities removed.</summary>
    public required string Body { get; init; }

    /// <summary>How many parts are attachments (a file name or <c>Content-Disposition: attachment</c>, or an attached message).</summary>
    public required int Attachments { get; init; }

    /// <summary>The domain of the sender's address (lower case), or null when there is none.</summary>
    public string? SenderDomain { get; init; }

    /// <summary>The sender domain's kind, the contract's segment: see <see cref="SenderDomains"/>.</summary>
    public required string SenderDomainType { get; init; }

    /// <summary>How many web links (<c>http://</c>, <c>https://</c>, <c>www.</c>) the body holds.</summary>
    public required int Links { get; init; }
}
