using System.Text.Json;
using Overlap.Core.Tests.Statistics;
using Overlap.Core.Text;

namespace Overlap.Core.Tests.Text;

public sealed class TextDescriptorsTests
{
    private static readonly JsonElement Fixture = TextDriftFixtures.Get("descriptors");

    private static List<string> TextsOf(string side) =>
        [.. Fixture.GetProperty(side).EnumerateArray().Select(e => e.GetProperty("text").GetString()!)];

    [Theory]
    [InlineData("reference", true)]
    [InlineData("current", false)]
    public void Descriptors_FixedTexts_MatchPython(string side, bool own)
    {
        var vocabulary = TextDescriptors.RowsWithWord(TextsOf("reference").Select(TextDescriptors.Words));
        foreach (var expected in Fixture.GetProperty(side).EnumerateArray())
        {
            var text = expected.GetProperty("text").GetString()!;
            var words = TextDescriptors.Words(text);
            Assert.Equal(expected.GetProperty("length").GetInt32(), TextDescriptors.Length(text));
            Assert.Equal(expected.GetProperty("words").GetInt32(), words.Count);
            AssertSame(expected.NumberOrNaN("unknown_words"), TextDescriptors.UnknownWordShare(words, vocabulary, own));
            AssertSame(expected.NumberOrNaN("non_ascii_letters"), TextDescriptors.NonAsciiLetterShare(text));
        }
    }

    [Fact]
    public void Words_Punctuation_SplitsAndLowersLettersAndDigits() =>
        Assert.Equal(
            ["order", "12345", "shipped", "ça", "va"],
            TextDescriptors.Words("Order #12345 shipped -- Ça va?")
        );

    [Theory]
    [InlineData("Thanks for the quick reply, it is exactly what I needed.", "en")]
    [InlineData("Vielen Dank, die Lieferung ist nicht angekommen und wir warten auf das Paket.", "de")]
    [InlineData("Merci pour votre message, nous avons bien reçu la commande et le paiement.", "fr")]
    [InlineData("Gracias por su mensaje, el paquete llegó con retraso y no funciona.", "es")]
    [InlineData("Bedankt voor het bericht, ik heb de bestelling niet ontvangen.", "nl")]
    [InlineData("Hi!", "unknown")]
    [InlineData("", "unknown")]
    public void LanguageGuess_RealSentences_NamesTheirLanguage(string text, string language) =>
        Assert.Equal(language, LanguageGuess.Of(TextDescriptors.Words(text)));

    private static void AssertSame(double expected, double actual)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected no value (NaN), got {actual:R}");
            return;
        }
        DriftFixtures.AssertStatistic(expected, actual, "descriptor");
    }
}
