using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>Collects what a page reports as errors: console errors, uncaught exceptions, answers of 400 or more.</summary>
internal static class BrowserErrors
{
    public static void Collect(IPage page, List<string> errors)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} for {response.Url}");
            }
        };
    }
}
