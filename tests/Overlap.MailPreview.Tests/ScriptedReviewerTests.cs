using Overlap.Samples.MailPreview;

namespace Overlap.MailPreview.Tests;

public class ScriptedReviewerTests
{
    [Theory]
    [InlineData("", "Anything", 0)]
    [InlineData("Hi all, quick question.", "A question", 0)]
    [InlineData("To unsubscribe from this list send a note to the admin.", "Weekly news", 0)]
    [InlineData("The mirror moved.", "Apt mirror down", 1)]
    [InlineData("It moved yesterday.", "Apt mirror down", 0)]
    [InlineData("It was moved to a new host last night by the admins.", "Unrelated words", 1)]
    public void Informative_follows_the_stated_rule(string preview, string subject, int expected) =>
        Assert.Equal(expected, ScriptedReviewer.Informative(preview, subject));

    [Theory]
    [InlineData("", 1)]
    [InlineData("It was moved to a new host last night.", 5)]
    [InlineData("See http://apt.example.org for the files.", 4)]
    [InlineData("Run rpm -e [pkg] && rpm -i ./pkg-1.2.3.i386.rpm", 4)]
    public void Clarity_starts_at_five_and_loses_a_point_per_fault(string preview, int expected) =>
        Assert.Equal(expected, ScriptedReviewer.Clarity(preview));

    [Fact]
    public void A_long_cut_preview_loses_two_points()
    {
        var preview = new string('a', 60) + " " + new string('b', 60) + "…";
        Assert.Equal(3, ScriptedReviewer.Clarity(preview));
    }

    [Theory]
    [InlineData("", "Anything", "empty")]
    [InlineData("See http://apt.example.org for the files today please.", "Apt mirror", "link")]
    [InlineData("To unsubscribe from this list send a note to the admin.", "Weekly news", "boilerplate")]
    [InlineData("Hi all, quick question.", "A question", "greeting")]
    [InlineData("It moved yesterday.", "Apt mirror down", "off_topic")]
    [InlineData(
        "It was moved to a new host last night by the admins, and the old host now answers with a login page and…",
        "Mirror",
        "cut_short"
    )]
    [InlineData("It was moved to a new host last night by the admins.", "Mirror", null)]
    public void Category_is_the_first_fault_that_applies(string preview, string subject, string? expected) =>
        Assert.Equal(expected, ScriptedReviewer.Category(preview, subject));
}

public class ScriptedReaderTests
{
    [Fact]
    public void Readers_react_by_the_stated_rule_each_share_a_stable_sample_of_the_id()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"easy-ham-2/{i:00000}").ToList();
        // An uninformative preview: half the readers regenerate, none gives a thumb.
        var regenerated = ids.Count(id =>
            ScriptedReader.React(id, "Hi all, quick question.", "Mirror") == ReaderReaction.Regenerated
        );
        Assert.InRange(regenerated, 900, 1100);
        Assert.All(ids, id =>
            Assert.NotEqual(ReaderReaction.ThumbsDown, ScriptedReader.React(id, "Hi all, quick question.", "Mirror"))
        );
        // An informative preview cut short: a third give a thumbs down.
        var cut = "The mirror moved to a new host last night and the old one now answers with a login…";
        Assert.InRange(ids.Count(id => ScriptedReader.React(id, cut, "Mirror") == ReaderReaction.ThumbsDown), 600, 730);
        // A clear, informative one: a tenth give a thumbs up, nobody a thumbs down.
        var clear = "The mirror moved to a new host last night.";
        Assert.InRange(ids.Count(id => ScriptedReader.React(id, clear, "Mirror") == ReaderReaction.ThumbsUp), 160, 240);
        Assert.All(ids, id =>
            Assert.True(ScriptedReader.React(id, clear, "Mirror") is ReaderReaction.None or ReaderReaction.ThumbsUp)
        );
        // The same id always gets the same reaction.
        Assert.Equal(ScriptedReader.React(ids[7], cut, "Mirror"), ScriptedReader.React(ids[7], cut, "Mirror"));
    }
}
