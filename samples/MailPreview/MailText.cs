using System.Text;
using System.Text.RegularExpressions;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// An email body reduced to the sentences its sender wrote: quoted lines ("&gt;"), reply intros ("... wrote:"), everything
/// after a signature line ("-- ") or an "Original Message" / "Forwarded Message" line, and lines of symbols are dropped; the
/// remaining lines are joined into paragraphs and split into sentences.
/// </summary>
internal static partial class MailText
{
    /// <summary>Sentences shorter than this many words are not candidates for a preview.</summary>
    public const int MinWords = 4;

    /// <summary>At most this many sentences are considered, from the top of the email.</summary>
    public const int MaxSentences = 16;

    /// <summary>The sender's own sentences, in order, at most <see cref="MaxSentences"/>.</summary>
    public static IReadOnlyList<string> Sentences(string body)
    {
        var sentences = new List<string>();
        foreach (var paragraph in Paragraphs(body))
        {
            foreach (var piece in SentenceEnd().Split(paragraph))
            {
                var sentence = Spaces().Replace(piece, " ").Trim();
                if (Words(sentence) >= MinWords)
                {
                    sentences.Add(sentence);
                    if (sentences.Count == MaxSentences)
                    {
                        return sentences;
                    }
                }
            }
        }
        return sentences;
    }

    /// <summary>True when the body quotes an earlier message (a line starting with "&gt;").</summary>
    public static bool Quotes(string body) => body.Split('\n').Any(l => l.TrimStart().StartsWith('>'));

    /// <summary>True when the text holds a web or mail address.</summary>
    public static bool HasAddress(string text) => Address().IsMatch(text);

    /// <summary>
    /// True for a sentence that says nothing about the email: a greeting or sign-off of eight words or fewer ("Hi all,
    /// a quick one.", "Thanks in advance for any help."), or mailing-list boilerplate (unsubscribing, list info).
    /// </summary>
    public static bool IsGreetingOrBoilerplate(string sentence) =>
        (Salutation().IsMatch(sentence) && Words(sentence) <= 8) || ListFooter().IsMatch(sentence);

    /// <summary>The number of words (runs of letters or digits).</summary>
    public static int Words(string text) => Word().Count(text);

    /// <summary>The words of a text, lower-cased.</summary>
    public static IEnumerable<string> WordList(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant());

    private static IEnumerable<string> Paragraphs(string body)
    {
        var paragraph = new StringBuilder();
        foreach (var raw in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line is "--" || raw.StartsWith("-- ", StringComparison.Ordinal) || OriginalMessage().IsMatch(line))
            {
                break;
            }
            if (line.StartsWith('>') || line.StartsWith('|') || ReplyIntro().IsMatch(line))
            {
                continue;
            }
            if (line.Length == 0 || Symbols().IsMatch(line))
            {
                if (paragraph.Length > 0)
                {
                    yield return paragraph.ToString();
                    paragraph.Clear();
                }
                continue;
            }
            paragraph.Append(line).Append(' ');
        }
        if (paragraph.Length > 0)
        {
            yield return paragraph.ToString();
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"https?://|www\.|\S+@\S+\.\w+", RegexOptions.IgnoreCase)]
    private static partial Regex Address();

    [GeneratedRegex(
        @"^(hi|hello|hey|dear|greetings|thanks|thank you|cheers|regards|best wishes)\b",
        RegexOptions.IgnoreCase
    )]
    private static partial Regex Salutation();

    [GeneratedRegex(@"unsubscribe|mailing list|listinfo|list info|sponsored by", RegexOptions.IgnoreCase)]
    private static partial Regex ListFooter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"^-+ ?(Original|Forwarded) Message ?-+", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"\b(wrote|writes|said)\s?:$", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyIntro();

    [GeneratedRegex(@"^[^\p{L}\p{N}]+$")]
    private static partial Regex Symbols();
}
