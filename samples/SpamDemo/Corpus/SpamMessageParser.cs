using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Overlap.Demo.Corpus;

/// <summary>
/// Parses one raw RFC 822 message of the corpus with MimeKit into a <see cref="SpamMessage"/>. Never throws on a
/// malformed message: a part that cannot be decoded gives empty text, a date that cannot be read falls back.
/// </summary>
public static partial class SpamMessageParser
{
    /// <summary>Dates outside this span are forged or broken (the corpus was collected in 2002; spam lies about dates).</summary>
    internal static readonly DateTimeOffset EarliestUsable = new(1995, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>See <see cref="EarliestUsable"/>.</summary>
    internal static readonly DateTimeOffset LatestUsable = new(2004, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int MaxBodyChars = 100_000;

    // .NET has only the Unicode encodings and Latin-1 built in; 2002 mail is often GB2312, Big5, KOI8-R or
    // windows-1252, which MimeKit would otherwise read as Latin-1. A static constructor runs before any Parse.
    static SpamMessageParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Parses <paramref name="raw"/>, the message's original bytes (an mbox <c>From </c> line first is allowed).</summary>
    /// <param name="raw">The message.</param>
    /// <param name="id">The corpus id (<c>group/number</c>).</param>
    /// <param name="group">The corpus group; its name says the label (<c>spam-*</c> is spam, anything else ham).</param>
    public static SpamMessage Parse(byte[] raw, string id, string group)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var (fromLine, offset) = MboxFromLine(raw);
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, offset, raw.Length - offset, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            message = new MimeMessage(); // nothing MimeKit can read: an empty message, dated by the mbox line if any
        }
        var (date, source) = SendingDate(message, fromLine);
        var domain = SenderDomain(message, fromLine);
        var body = BodyText(message);
        return new SpamMessage
        {
            Id = id,
            Group = group,
            IsSpam = group.StartsWith("spam", StringComparison.Ordinal),
            MessageId = message.MessageId,
            Date = date,
            DateSource = source,
            Subject = (message.Subject ?? "").Trim(),
            Body = body,
            Attachments = CountAttachments(message.Body),
            SenderDomain = domain,
            SenderDomainType = SenderDomains.Classify(domain),
            Links = LinkPattern().Count(body),
        };
    }

    /// <summary>The mbox <c>From </c> line (without its end of line) and where the headers start, or null and 0.</summary>
    private static (string? Line, int Offset) MboxFromLine(byte[] raw)
    {
        if (raw.Length < 5 || !raw.AsSpan(0, 5).SequenceEqual("From "u8))
        {
            return (null, 0);
        }
        var end = Array.IndexOf(raw, (byte)'\n');
        if (end < 0)
        {
            return (null, 0);
        }
        return (Encoding.Latin1.GetString(raw, 0, end).TrimEnd('\r'), end + 1);
    }

    /// <summary>The <c>Date:</c> header, else the mbox <c>From </c> line, else the last <c>Received:</c> header.</summary>
    internal static (DateTimeOffset? Date, MessageDateSource Source) SendingDate(MimeMessage message, string? fromLine)
    {
        if (message.Headers[HeaderId.Date] is { } header && TryHeaderDate(header, out var date))
        {
            return (date, MessageDateSource.DateHeader);
        }
        if (fromLine is not null && TryMboxDate(fromLine, out date))
        {
            return (date, MessageDateSource.MboxFromLine);
        }
        var received = message.Headers.LastOrDefault(h => h.Id == HeaderId.Received)?.Value;
        if (
            received?.LastIndexOf(';') is int semicolon and >= 0
            && TryHeaderDate(received[(semicolon + 1)..], out date)
        )
        {
            return (date, MessageDateSource.Received);
        }
        return (null, MessageDateSource.None);
    }

    /// <summary>
    /// An RFC 822 date as MimeKit reads it (leniently: a zone without its sign, <c>23:37:59 0530</c>, common in 2002
    /// spam, is read east of UTC as Python's <c>email.utils</c> does). Dates outside the corpus's years are refused.
    /// </summary>
    internal static bool TryHeaderDate(string value, out DateTimeOffset date) =>
        DateUtils.TryParse(value.Trim(), out date) && Usable(date);

    /// <summary>The asctime date of an mbox <c>From address  Tue Aug  6 11:51:02 2002</c> line, taken as UTC.</summary>
    internal static bool TryMboxDate(string fromLine, out DateTimeOffset date)
    {
        date = default;
        var match = MboxDate().Match(fromLine);
        if (!match.Success)
        {
            return false;
        }
        var text =
            $"{match.Groups["mon"].Value} {match.Groups["day"].Value} {match.Groups["time"].Value} {match.Groups["year"].Value}";
        if (
            !DateTime.TryParseExact(
                text,
                "MMM d H:mm:ss yyyy",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var utc
            )
        )
        {
            return false;
        }
        date = new DateTimeOffset(utc, TimeSpan.Zero);
        return Usable(date);
    }

    private static bool Usable(DateTimeOffset date) => date >= EarliestUsable && date < LatestUsable;

    /// <summary>The domain of the <c>From:</c> address, else of <c>Return-Path:</c>, else of the mbox line's address.</summary>
    private static string? SenderDomain(MimeMessage message, string? fromLine)
    {
        var domain = message.From.Mailboxes.Select(m => m.Domain).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        if (
            domain is null
            && message.Headers[HeaderId.ReturnPath] is { } returnPath
            && MailboxAddress.TryParse(returnPath, out var mailbox)
        )
        {
            domain = mailbox.Domain;
        }
        if (
            string.IsNullOrWhiteSpace(domain)
            && fromLine?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var address, ..]
        )
        {
            var at = address.LastIndexOf('@');
            domain = at >= 0 ? address[(at + 1)..] : null;
        }
        return string.IsNullOrWhiteSpace(domain) ? null : domain.Trim().Trim('>', '.').ToLowerInvariant();
    }

    /// <summary>The text/plain body, else the HTML body as text; at most 100,000 characters.</summary>
    internal static string BodyText(MimeMessage message)
    {
        string text;
        try
        {
            text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.Convert(html) : "");
        }
        catch (Exception e)
            when (e is FormatException or ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            text = "";
        }
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.Length > MaxBodyChars ? text[..MaxBodyChars] : text;
    }

    /// <summary>Leaf parts with a file name or an attachment disposition, and attached messages (message/rfc822, not descended into).</summary>
    internal static int CountAttachments(MimeEntity? entity) =>
        entity switch
        {
            null => 0,
            Multipart multipart => multipart.Sum(CountAttachments),
            // message/rfc822 only: MimeKit also reads text/rfc822-headers (in bounce reports) as a MessagePart.
            MessagePart message => message.ContentType.IsMimeType("message", "rfc822") ? 1 : 0,
            MimePart part => part.IsAttachment || !string.IsNullOrEmpty(part.FileName) ? 1 : 0,
            _ => 0,
        };

    [GeneratedRegex(
        @"(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(?<day>\d{1,2})\s+(?<time>\d{1,2}:\d{2}:\d{2})\s+(?<year>\d{4})\s*$"
    )]
    private static partial Regex MboxDate();

    [GeneratedRegex(@"https?://|\bwww\.", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}
