namespace Overlap.Core.Text;

/// <summary>
/// A rough guess at a text's language from its most common short words (stop words) in English, German, French,
/// Spanish, Italian, Dutch and Portuguese: the language whose list holds the most of the text's words, when that is
/// at least two words and more than any other language; otherwise <see cref="Unknown"/>. Short texts and other
/// languages come out unknown. Enough to see a share of texts move from one language to another, not to label one
/// text reliably.
/// </summary>
public static class LanguageGuess
{
    /// <summary>The guess when no language stands out.</summary>
    public const string Unknown = "unknown";

    private static readonly (string Code, HashSet<string> Words)[] Languages =
    [
        ("en", Set("the and is are of to in that it you for with this was have not be on we your")),
        ("de", Set("der die das und ist nicht ich sie es ein eine zu mit den auf für wir sind auch dem")),
        ("fr", Set("le la les et est des une un pas que pour dans vous nous du avec ce sur je il")),
        ("es", Set("el la los las y es de que en un una por para con no se su lo al del")),
        ("it", Set("il lo gli e è di che non un una per con sono della nel ho mi si ma questo")),
        ("nl", Set("de het een en is van niet dat ik je met op voor zijn we ook maar er te wat")),
        ("pt", Set("o a os as e é de que não um uma para com em do da no na se por")),
    ];

    /// <summary>The languages a guess can name, as ISO 639-1 codes.</summary>
    public static IReadOnlyList<string> Codes { get; } = [.. Languages.Select(l => l.Code)];

    /// <summary>The guess for a text already split into lower-case words (<see cref="TextDescriptors.Words"/>).</summary>
    public static string Of(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int best = 0,
            second = 0;
        var code = Unknown;
        foreach (var (language, list) in Languages)
        {
            var hits = words.Count(list.Contains);
            if (hits > best)
            {
                (second, best, code) = (best, hits, language);
            }
            else if (hits > second)
            {
                second = hits;
            }
        }
        return best >= 2 && best > second ? code : Unknown;
    }

    private static HashSet<string> Set(string words) => new(words.Split(' '), StringComparer.Ordinal);
}
