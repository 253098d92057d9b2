using Overlap.Core.Text;

namespace Overlap.Samples.MailPreview;

/// <summary>How a preview is chosen from an email's sentences.</summary>
internal enum PreviewStrategy
{
    /// <summary>Version 1: the first sentence the sender wrote, as most mail clients show.</summary>
    Lead,

    /// <summary>
    /// Version 2, written after version 1's reviews: the sentence closest in meaning to the whole email (every sentence
    /// is embedded with the local sentence-embedding model, and the one nearest the mean of all of them wins: an
    /// extractive summary), chosen among the sentences that hold no web or mail address, are not a greeting, sign-off
    /// or mailing-list boilerplate, and fit the preview uncut. A filter that would leave no sentence is skipped, so an
    /// email always gets a preview when it has a sentence.
    /// </summary>
    Central,
}

/// <summary>Writes a one-line preview of an email: one of its own sentences, cut to <see cref="MaxLength"/> characters.</summary>
internal sealed class Previewer(ITextEmbedder embedder)
{
    /// <summary>The longest preview, in characters; a longer sentence is cut at a word and ends with "…".</summary>
    public const int MaxLength = 140;

    /// <summary>The name and version each strategy reports as its model version.</summary>
    public static string VersionOf(PreviewStrategy strategy) =>
        strategy == PreviewStrategy.Lead ? "preview-lead@1" : "preview-central@2";

    /// <summary>The preview of <paramref name="body"/>; empty when the sender wrote no sentence of four words or more.</summary>
    public string Preview(string body, PreviewStrategy strategy)
    {
        var sentences = MailText.Sentences(body);
        if (sentences.Count == 0)
        {
            return "";
        }
        if (strategy == PreviewStrategy.Lead)
        {
            return Cut(sentences[0]);
        }
        var candidates = Candidates(sentences);
        var chosen = candidates.Count == 1 ? candidates[0] : Central(candidates);
        return Cut(chosen);
    }

    /// <summary>
    /// Version 2's candidates: each filter in turn (no address, no greeting or boilerplate, uncut) applies only when
    /// some sentence passes it and every filter before it.
    /// </summary>
    public static IReadOnlyList<string> Candidates(IReadOnlyList<string> sentences)
    {
        IReadOnlyList<string> kept = sentences;
        foreach (var passes in Filters)
        {
            var narrower = kept.Where(passes).ToList();
            if (narrower.Count > 0)
            {
                kept = narrower;
            }
        }
        return kept;
    }

    private static readonly Func<string, bool>[] Filters =
    [
        s => !MailText.HasAddress(s),
        s => !MailText.IsGreetingOrBoilerplate(s),
        s => s.Length <= MaxLength,
    ];

    private string Central(IReadOnlyList<string> sentences)
    {
        var vectors = embedder.Embed(sentences);
        var centre = new double[embedder.Dimensions];
        foreach (var v in vectors)
        {
            var norm = Norm(v);
            for (var i = 0; i < centre.Length; i++)
            {
                centre[i] += v[i] / norm;
            }
        }
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var s = 0; s < vectors.Count; s++)
        {
            var v = vectors[s];
            double dot = 0;
            for (var i = 0; i < centre.Length; i++)
            {
                dot += v[i] * centre[i];
            }
            var score = dot / Norm(v);
            if (score > bestScore)
            {
                (best, bestScore) = (s, score);
            }
        }
        return sentences[best];
    }

    private static double Norm(float[] v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += x * (double)x;
        }
        return sum > 0 ? Math.Sqrt(sum) : 1;
    }

    private static string Cut(string sentence)
    {
        if (sentence.Length <= MaxLength)
        {
            return sentence;
        }
        var cut = sentence.LastIndexOf(' ', MaxLength - 1);
        return (cut > MaxLength / 2 ? sentence[..cut] : sentence[..(MaxLength - 1)]).TrimEnd(',', ';', ':', ' ') + "…";
    }
}
