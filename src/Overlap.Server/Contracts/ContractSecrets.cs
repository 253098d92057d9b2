using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Overlap.Server.Contracts;

/// <summary>
/// Hides a contract's secrets from everyone but an admin: every <c>webhook</c> value (its address is all a sender needs)
/// keeps its scheme and host and loses the rest, e.g. <c>https://hooks.example.com/••••</c>. Masked text keeps its line
/// numbers, so a diff of the real texts can show the masked lines.
/// </summary>
internal static partial class ContractSecrets
{
    /// <summary>What stands for a webhook whose host cannot be told either.</summary>
    public const string Hidden = "[hidden: only admins see webhook addresses]";

    /// <summary>The key whose values are secret.</summary>
    private const string SecretKey = "webhook";

    /// <summary>Shorter values are not hunted for elsewhere in the text (in comments), where they could hit ordinary words.</summary>
    private const int MinHunted = 8;

    /// <summary><paramref name="url"/> with only its scheme, host and port left, or <see cref="Hidden"/>.</summary>
    public static string MaskUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0
            ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}/••••"
            : Hidden;

    /// <summary>
    /// The contract text with every webhook value masked, here and wherever else the same value appears (a comment).
    /// Text that does not read as YAML has every address and every <c>webhook:</c> value masked instead.
    /// </summary>
    public static string Mask(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        List<(int Start, int End, string Value, string Quote)> spans;
        try
        {
            spans = SecretSpans(yaml);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // YamlDotNet throws more than YamlException on some broken text; whatever it throws, the loose mask hides more, not less.
            return MaskLoosely(yaml);
        }
        var hunted = spans
            .Select(s => s.Value)
            .Where(v => v.Length >= MinHunted && !v.Contains('\n', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        string Hunt(string text) =>
            hunted.Aggregate(text, (t, secret) => t.Replace(secret, MaskUrl(secret), StringComparison.Ordinal));
        var masked = new StringBuilder(yaml.Length);
        var at = 0;
        foreach (var (start, end, value, quote) in spans)
        {
            masked.Append(Hunt(yaml[at..start])).Append(quote).Append(MaskUrl(value)).Append(quote);
            // A value over several lines keeps them, so line numbers stay those of the real text.
            masked.Append('\n', yaml.AsSpan(start, end - start).Count('\n'));
            at = end;
        }
        return masked.Append(Hunt(yaml[at..])).ToString();
    }

    /// <summary>The lines of a diff of the real texts, showing the masked texts' lines instead (skipped runs as they are).</summary>
    public static IReadOnlyList<DiffLine> Mask(IReadOnlyList<DiffLine> lines, string older, string newer)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var (before, after) = (Lines(Mask(older)), Lines(Mask(newer)));
        return
        [
            .. lines.Select(l =>
                l.Kind switch
                {
                    DiffKind.Skipped => l,
                    DiffKind.Added => l with { Text = after[l.NewLine - 1] },
                    _ => l with { Text = before[l.OldLine - 1] },
                }
            ),
        ];
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>
    /// Where each value of a <c>webhook</c> key sits in the text, read from YAML events with an explicit stack (a text
    /// nested however deep cannot overflow the call stack), with the quote it was written in.
    /// </summary>
    private static List<(int Start, int End, string Value, string Quote)> SecretSpans(string yaml)
    {
        var spans = new List<(int, int, string, string)>();
        // Per open collection: is it a mapping, is its next node a key, and was the last key the secret one.
        var open = new Stack<(bool Mapping, bool AtKey, bool Secret)>();
        void Completed(string? scalar)
        {
            if (open.Count > 0 && open.Peek() is { Mapping: true } top)
            {
                open.Pop();
                open.Push(top.AtKey ? (true, false, scalar == SecretKey) : (true, true, false));
            }
        }
        var parser = new Parser(new StringReader(yaml));
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart:
                    open.Push((true, true, false));
                    break;
                case SequenceStart:
                    open.Push((false, false, false));
                    break;
                case MappingEnd or SequenceEnd:
                    open.Pop();
                    Completed(null);
                    break;
                case Scalar scalar:
                    if (open.Count > 0 && open.Peek() is { Mapping: true, AtKey: false, Secret: true })
                    {
                        var quote = scalar.Style switch
                        {
                            ScalarStyle.DoubleQuoted => "\"",
                            ScalarStyle.SingleQuoted => "'",
                            _ => "",
                        };
                        spans.Add(((int)scalar.Start.Index, (int)scalar.End.Index, scalar.Value, quote));
                    }
                    Completed(scalar.Value);
                    break;
                case AnchorAlias:
                    Completed(null);
                    break;
            }
        }
        return spans;
    }

    /// <summary>For text that is not YAML: every <c>webhook:</c> value and every address in it, masked.</summary>
    private static string MaskLoosely(string text) =>
        AnyAddress().Replace(SecretValue().Replace(text, m => m.Groups["key"].Value + Hidden), m => MaskUrl(m.Value));

    [GeneratedRegex("""(?<key>webhook["']?\s*:\s*)(?:"[^"\n]*"?|'[^'\n]*'?|[^\s,}\]#]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretValue();

    [GeneratedRegex("""[a-z][a-z0-9+.-]*://[^\s"'<>,}\]]+""", RegexOptions.IgnoreCase)]
    private static partial Regex AnyAddress();
}
