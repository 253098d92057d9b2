using System.Text;
using MimeKit.Text;

namespace Overlap.Demo.Corpus;

/// <summary>
/// HTML as the words a reader sees, with MimeKit's tokenizer: tags and comments dropped, scripts and styles skipped,
/// character references decoded, a line break at each block element. <c>make_email_fixtures.py</c> does the same
/// with Python's <c>html.parser</c>.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br",
        "p",
        "div",
        "tr",
        "td",
        "th",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "title",
        "center",
        "dd",
        "dt",
        "dl",
    };

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "script",
        "style",
        "head",
    };

    public static string Convert(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        var hidden = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Hidden.Contains(tag.Name) && !tag.IsEmptyElement:
                    hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Name):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    text.Append(data.Data);
                    break;
            }
        }
        return text.ToString();
    }
}
