using Overlap.Samples.MailPreview;

namespace Overlap.MailPreview.Tests;

public class MailTextTests
{
    private const string Reply = """
        On Tue, 3 Sep 2002, Harri wrote:
        > Is the mirror down again?
        > I cannot reach it.

        It was moved to a new host last night. The old address
        now answers with a login page! Use the new one from today.
        ---
        -- 
        Rob, who signs every mail
        This line is after the signature.
        """;

    [Fact]
    public void Sentences_are_the_senders_own_joined_across_lines_and_cut_at_the_signature() =>
        Assert.Equal(
            [
                "It was moved to a new host last night.",
                "The old address now answers with a login page!",
                "Use the new one from today.",
            ],
            MailText.Sentences(Reply)
        );

    [Fact]
    public void An_original_message_line_ends_the_senders_text_and_short_sentences_are_left_out()
    {
        var body =
            "Sounds good. See the notes below for the plan.\n-----Original Message-----\nThe plan is long and old.";
        Assert.Equal(["See the notes below for the plan."], MailText.Sentences(body));
    }

    [Fact]
    public void Quotes_is_true_only_for_a_quoted_line()
    {
        Assert.True(MailText.Quotes(Reply));
        Assert.False(MailText.Quotes("No quote here.\nNor here > there."));
    }

    [Fact]
    public void Words_counts_runs_of_letters_and_digits() =>
        // Red, Hat, 7, 2, isn, t: a point and an apostrophe end a run.
        Assert.Equal(6, MailText.Words("Red Hat 7.2 isn't"));
}
