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
}
