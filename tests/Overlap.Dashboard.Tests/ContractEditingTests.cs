using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Overlap.Dashboard.Tests;

/// <summary>
/// Users created with the real CLI sign in with a password; an admin edits a contract in the browser and reads the
/// diff between its versions; a viewer sees no editor and is refused if they post anyway. The edits go to a copy of
/// the example contract under another feature, so the fixture's payments-fraud contract stays at version 1.
/// </summary>
public sealed class ContractEditingTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    private const string Feature = "payments-fraud-edits";
    private const string ContractPage = $"/features/{Feature}/contract";
    private const string NewBar = "  - { metric: specificity, min: 0.90 }";
    private readonly DashboardBrowser _browser = new(server);
    private string _yaml = "";

    /// <summary>What the browser reported as errors: a failed script, an exception, an answer of 400 or more.</summary>
    private List<string> _errors => _browser.Errors;

    public async Task InitializeAsync()
    {
        await _browser.StartAsync();
        var example = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        _yaml = example.Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal);
        // xUnit makes this class anew for each test, over the one fixture: the copy is put once.
        using var admin = server.Client(server.AdminKey);
        if ((await admin.GetAsync($"/v1/features/{Feature}/contract")).StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(_yaml));
            Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private static string Shot(string name) => Path.Combine(OverviewTests.Screenshots, name);

    /// <summary>A new browser context (its own cookies) on the contract page, signed in with a name and password.</summary>
    private async Task<IPage> SignedInAsync(string name, string password)
    {
        var page = await _browser.NewPageAsync();
        var wait = DashboardBrowser.SignInTimeout;
        await page.GotoAsync(ContractPage, new PageGotoOptions { Timeout = wait });
        Assert.Contains("/signin?ReturnUrl=", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#name", name, new PageFillOptions { Timeout = wait });
        await page.FillAsync("#password", password, new PageFillOptions { Timeout = wait });
        await page.ClickAsync(
            "[data-testid=password-form] button[type=submit]",
            new PageClickOptions { Timeout = wait }
        );
        await page.WaitForURLAsync($"{server.Address}{ContractPage}", new PageWaitForURLOptions { Timeout = wait });
        return page;
    }

    [Fact]
    public async Task AWrongPassword_GetsOneGenericAnswer()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#name", "ana");
        await page.FillAsync("#password", server.AdminPassword + "x");
        await page.ClickAsync("[data-testid=password-form] button[type=submit]");
        await Assertions
            .Expect(page.Locator("[data-testid=signin-problem]"))
            .ToHaveTextAsync("That name and password do not match.");
        // The name typed is kept; the password is not.
        Assert.Equal("ana", await page.InputValueAsync("#name"));
        Assert.Equal("", await page.InputValueAsync("#password"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("signin-password-refused.png") });
        await page.GotoAsync("/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_SeesTheContractButNoEditor_AndAPostAnywayIsRefused()
    {
        var page = await SignedInAsync("ben", server.ViewerPassword);
        Assert.Equal("ben (viewer)", (await page.Locator("[data-testid=signed-in-as]").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator("[data-testid=explain]")).ToContainTextAsync(Feature);
        Assert.Equal(0, await page.Locator("[data-testid=editor]").CountAsync());
        Assert.Equal(0, await page.Locator("text=Save as new version").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("contract-viewer.png"), FullPage = true });
        Assert.True(_errors.Count == 0, string.Join('\n', _errors));

        // The viewer's own session token, the editor's form name, a contract: refused, and no version added.
        using var api = server.Client(server.ViewerKey);
        async Task<int> VersionsAsync() =>
            System
                .Text.Json.JsonDocument.Parse(await api.GetStringAsync($"/v1/features/{Feature}/contract/versions"))
                .RootElement.GetArrayLength();
        var versions = await VersionsAsync();
        var status = await page.EvaluateAsync<int>(
            """
            async () => {
              const token = document.querySelector('input[name=__RequestVerificationToken]').value;
              const body = new URLSearchParams({ _handler: 'contract-edit', __RequestVerificationToken: token, 'Edit.Yaml': 'feature: payments-fraud-edits' });
              return (await fetch(location.pathname, { method: 'POST', body })).status;
            }
            """
        );
        Assert.Equal(403, status);
        Assert.Equal(versions, await VersionsAsync());
        // The refused save is in the audit log, under the viewer's name.
        Assert.Contains(
            $"ben | viewer | change | edited the contract of {Feature} | 403 | only an admin may change a contract",
            await AuditAsync("ben")
        );
    }

    /// <summary>The audit log's entries about the feature by <paramref name="actor"/>, each as one line.</summary>
    private async Task<List<string>> AuditAsync(string actor)
    {
        using var admin = server.Client(server.AdminKey);
        using var page = System.Text.Json.JsonDocument.Parse(
            await admin.GetStringAsync($"/v1/audit?feature={Feature}&actor={actor}")
        );
        return
        [
            .. page
                .RootElement.GetProperty("entries")
                .EnumerateArray()
                .Select(e =>
                    string.Join(
                        " | ",
                        e.GetProperty("actor").GetString(),
                        e.GetProperty("role").GetString(),
                        e.GetProperty("action").GetString(),
                        e.GetProperty("target").GetString(),
                        e.GetProperty("status").GetInt32(),
                        e.TryGetProperty("detail", out var d) ? d.GetString() : "-"
                    )
                ),
        ];
    }

    [Fact]
    public async Task AnAdmin_AddsABar_SeesVersion2_AndTheDiffInLinesAndWords()
    {
        var page = await SignedInAsync("ana", server.AdminPassword);
        Assert.Equal("ana (admin)", (await page.Locator("[data-testid=signed-in-as]").InnerTextAsync()).Trim());
        var editor = page.Locator("[data-testid=editor]");
        Assert.Equal(_yaml, (await editor.InputValueAsync()).ReplaceLineEndings("\n"));

        // A mistake first: refused with the line to fix, the text kept for correcting.
        var mistake = _yaml.Replace(
            "  - { metric: precision, min: 0.40 }",
            "  - { metric: precission, min: 0.40 }",
            StringComparison.Ordinal
        );
        await editor.FillAsync(mistake);
        await page.ClickAsync("[data-testid=save]");
        await Assertions
            .Expect(page.Locator("[data-testid=edit-problem]"))
            .ToContainTextAsync("The contract is not valid");
        await Assertions.Expect(page.Locator("[data-testid=edit-problem]")).ToContainTextAsync("precission");
        Assert.Equal(mistake, (await page.Locator("[data-testid=editor]").InputValueAsync()).ReplaceLineEndings("\n"));
        await page.Locator("[data-testid=edit-problem]").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("contract-invalid.png") });

        var edited = _yaml.Replace(
            "  - { metric: precision, min: 0.40 }\n",
            "  - { metric: precision, min: 0.40 }\n" + NewBar + "\n",
            StringComparison.Ordinal
        );
        await page.Locator("[data-testid=editor]").FillAsync(edited);
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(new Regex("contract\\?saved=2$"));
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved as version 2.");
        await Assertions.Expect(page.Locator("[data-testid=latest]")).ToContainTextAsync("Version 2, changed by ana");
        Assert.Equal(2, await page.Locator("[data-testid=versions] tbody tr").CountAsync());
        Assert.Contains(
            "at least 90% of legitimate payments",
            await page.Locator("[data-testid=explain]").InnerTextAsync(),
            StringComparison.Ordinal
        );

        // Pick the two versions (the defaults, chosen by hand) and compare.
        await page.SelectOptionAsync("#from", "1");
        await page.SelectOptionAsync("#to", "2");
        await page.ClickAsync("[data-testid=compare-form] button[type=submit]");
        await page.WaitForURLAsync(new Regex("from=1&to=2$"));
        var added = page.Locator("[data-testid=diff] [data-kind=added]");
        Assert.Equal(1, await added.CountAsync());
        Assert.Contains(NewBar.Trim(), await added.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=diff] [data-kind=removed]").CountAsync());
        Assert.Equal(
            "rgb(230, 255, 236)",
            await added.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")
        );
        Assert.True(
            await page.Locator("[data-testid=diff] [data-kind=skipped]").CountAsync() >= 1,
            "unchanged lines are collapsed"
        );
        Assert.Equal(
            ["New bar: Leave at least 90% of legitimate payments alone."],
            (await page.Locator("[data-testid=changes] .mud-list-item").AllInnerTextsAsync()).Select(t => t.Trim())
        );
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("contract-diff.png"), FullPage = true });

        using var api = server.Client(server.ViewerKey);
        using var latest = System.Text.Json.JsonDocument.Parse(
            await api.GetStringAsync($"/v1/features/{Feature}/contract")
        );
        Assert.Equal(
            (2, "ana"),
            (
                latest.RootElement.GetProperty("version").GetInt32(),
                latest.RootElement.GetProperty("changed_by").GetString()
            )
        );
        Assert.Equal(edited, latest.RootElement.GetProperty("yaml").GetString());
        Assert.Contains(
            $"ana | admin | change | edited the contract of {Feature} | 200 | saved as version 2",
            await AuditAsync("ana")
        );
        Assert.True(_errors.Count == 0, string.Join('\n', _errors));
    }

    [Fact]
    public async Task AnAdmin_SavesAnUnclosedBrace_KeepsTheTextAndSeesWhereToClose()
    {
        var page = await SignedInAsync("ana", server.AdminPassword);
        var editor = page.Locator("[data-testid=editor]");
        var before = (await editor.InputValueAsync()).ReplaceLineEndings("\n");
        // An unclosed { with more lines after it: YamlDotNet threw InvalidOperationException, a 500 that lost the edit.
        var broken = before.Replace(
            "labels: { positive: fraud, negative: legit }",
            "labels: { positive: fraud, negative: legit",
            StringComparison.Ordinal
        );
        Assert.NotEqual(before, broken);
        await editor.FillAsync(broken, new LocatorFillOptions { Timeout = 30_000 });
        await page.ClickAsync("[data-testid=save]", new PageClickOptions { Timeout = 30_000 });
        var problem = page.Locator("[data-testid=edit-problem]");
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        await Assertions.Expect(problem).ToContainTextAsync("The contract is not valid", wait);
        await Assertions
            .Expect(problem)
            .ToContainTextAsync("the '{' opened at line 7, column 9 is not closed; end it with '}'", wait);
        Assert.Equal(broken, (await page.Locator("[data-testid=editor]").InputValueAsync()).ReplaceLineEndings("\n"));
        Assert.True(_errors.Count == 0, string.Join('\n', _errors));
    }
}
