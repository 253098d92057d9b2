using System.Text.Encodings.Web;
using System.Text.Json;
using Overlap.Core.Sampling;
using Overlap.Demo.Corpus;

namespace Overlap.Samples.MailPreview;

/// <summary>One email with both versions' previews and, for a sampled share, the scripted people's grades of each.</summary>
/// <param name="Message">The email.</param>
/// <param name="Lead">Version 1's preview.</param>
/// <param name="Central">Version 2's preview.</param>
/// <param name="Graded">True when people graded this case (a stable sample of <see cref="PreviewCases.GradedShare"/>).</param>
internal sealed record PreviewCase(SpamMessage Message, string Lead, string Central, bool Graded)
{
    /// <summary>The edge-case tags: <c>reply</c> (it quotes an earlier message), <c>short</c> (one or two sentences), <c>long</c> (over 3,000 characters).</summary>
    public IReadOnlyList<string> Tags { get; } = TagsOf(Message);

    private static List<string> TagsOf(SpamMessage m)
    {
        var tags = new List<string>();
        if (MailText.Quotes(m.Body))
        {
            tags.Add("reply");
        }
        if (MailText.Sentences(m.Body).Count <= 2)
        {
            tags.Add("short");
        }
        if (m.Body.Length > 3000)
        {
            tags.Add("long");
        }
        return tags;
    }
}

/// <summary>Builds the offline case set from the corpus's earliest legitimate mail and writes it as JSON Lines.</summary>
internal static class PreviewCases
{
    /// <summary>The share of cases the scripted people grade (a stable sample by id).</summary>
    public const double GradedShare = 0.5;

    /// <summary>The longest input kept in a case file, in characters (the preview is written from the whole body).</summary>
    public const int MaxInputChars = 2000;

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Previews of each message by both versions.</summary>
    public static List<PreviewCase> Build(IEnumerable<SpamMessage> messages, Previewer previewer) =>
        [
            .. messages.Select(m => new PreviewCase(
                m,
                previewer.Preview(m.Body, PreviewStrategy.Lead),
                previewer.Preview(m.Body, PreviewStrategy.Central),
                StableSample.Takes(m.Id, GradedShare)
            )),
        ];

    /// <summary>
    /// Writes one version's case file: <c>id</c>, <c>input</c> (the body, cut to <see cref="MaxInputChars"/>),
    /// <c>preview</c> (the output), <c>subject</c> (the reference), <c>folder</c> (the segment), <c>tags</c>, and for
    /// graded cases <c>rubric.informative</c> (pass/fail) and <c>rubric.clarity</c> (1–5).
    /// </summary>
    public static void Write(string path, IEnumerable<PreviewCase> cases, PreviewStrategy strategy)
    {
        using var writer = new StreamWriter(path);
        foreach (var c in cases)
        {
            var preview = strategy == PreviewStrategy.Lead ? c.Lead : c.Central;
            var row = new Dictionary<string, object?>
            {
                ["id"] = c.Message.Id,
                ["input"] = c.Message.Body.Length > MaxInputChars ? c.Message.Body[..MaxInputChars] : c.Message.Body,
                ["preview"] = preview,
                ["subject"] = c.Message.Subject,
                ["folder"] = c.Message.Group,
                ["tags"] = c.Tags,
                ["rubric.informative"] = c.Graded
                    ? (ScriptedReviewer.Informative(preview, c.Message.Subject) == 1 ? "pass" : "fail")
                    : null,
                ["rubric.clarity"] = c.Graded ? ScriptedReviewer.Clarity(preview) : null,
            };
            writer.WriteLine(JsonSerializer.Serialize(row, Json));
        }
    }
}
