using Overlap.Core.Text;
using Overlap.Samples.MailPreview;

namespace Overlap.MailPreview.Tests;

public class PreviewerTests
{
    /// <summary>Counts three topic words per sentence: a vector the test can reason about.</summary>
    private sealed class TopicEmbedder : ITextEmbedder
    {
        private static readonly string[] Topics = ["mirror", "host", "lunch"];

        public int Dimensions => Topics.Length;

        public string ModelName => "topics";

        public IReadOnlyList<float[]> Embed(
            IReadOnlyList<string> texts,
            CancellationToken cancellationToken = default
        ) => [.. texts.Select(t => Topics.Select(w => (float)MailText.WordList(t).Count(x => x == w)).ToArray())];
    }

    private const string Body =
        "Lunch is at noon today for everyone. The mirror moved to a new host. The mirror host answers again now.";

    [Fact]
    public void Lead_is_the_first_sentence() =>
        Assert.Equal(
            "Lunch is at noon today for everyone.",
            new Previewer(new TopicEmbedder()).Preview(Body, PreviewStrategy.Lead)
        );

    [Fact]
    public void Central_is_the_sentence_nearest_the_mean_of_all()
    {
        // Unit vectors: (0,0,1), (1,1,0)/√2 twice; their sum is (√2, √2, 1) and the mirror-and-host sentences are
        // nearest it (cosine 2/√5 = 0.89 against 1/√5 = 0.45); the first of the tied two wins.
        Assert.Equal(
            "The mirror moved to a new host.",
            new Previewer(new TopicEmbedder()).Preview(Body, PreviewStrategy.Central)
        );
    }

    [Fact]
    public void A_long_sentence_is_cut_at_a_word_and_marked()
    {
        var sentence = string.Join(' ', Enumerable.Repeat("word", 40)) + ".";
        var preview = new Previewer(new TopicEmbedder()).Preview(sentence, PreviewStrategy.Lead);
        Assert.True(preview.Length <= Previewer.MaxLength, preview);
        Assert.EndsWith("word…", preview, StringComparison.Ordinal);
    }

    [Fact]
    public void No_sentence_of_four_words_gives_an_empty_preview() =>
        Assert.Equal("", new Previewer(new TopicEmbedder()).Preview("Thanks!\n\nRob", PreviewStrategy.Central));

    [Fact]
    public void Version_two_passes_over_addresses_greetings_boilerplate_and_long_sentences()
    {
        var longOne = "This sentence goes on " + string.Join(' ', Enumerable.Repeat("and on", 30)) + ".";
        Assert.Equal(
            ["The mirror moved to a new host."],
            Previewer.Candidates([
                "Hi all, a quick one.",
                "See http://mirror.example.org for the files.",
                "The mirror moved to a new host.",
                "To unsubscribe from this mailing list, write to the admin.",
                longOne,
            ])
        );
        // A filter that would leave nothing is skipped: here only the address filter applies.
        Assert.Equal(
            ["Hello everyone, thanks for the help."],
            Previewer.Candidates([
                "See http://mirror.example.org for the files.",
                "Hello everyone, thanks for the help.",
            ])
        );
        Assert.Equal([longOne], Previewer.Candidates([longOne]));
    }
}
