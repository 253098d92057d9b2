using Overlap.Samples.MailPreview;

namespace Overlap.MailPreview.Tests;

public class ProgramTests
{
    [Theory]
    [InlineData("--cases", "many")]
    [InlineData("--replay", "5")]
    [InlineData("--urls", "not an address")]
    public async Task A_bad_option_is_exit_64_before_any_work(string option, string value) =>
        Assert.Equal(64, await Program.Main([option, value]));
}
