using System.Net;
using System.Text.RegularExpressions;
using Overlap.Server.Auth;
using Overlap.Storage;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>The contract page's editor (admins only) and the diff between versions, on a real server.</summary>
public sealed class ContractEditorTests : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private const string Page = $"/features/{Feature}/contract";
    private const string Password = "tall green lamp on mars";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText()))).StatusCode
        );
        foreach (var role in Users.Roles)
        {
            var user = new UserRecord(
                role.ToString().ToLowerInvariant() + "-user",
                role,
                Passwords.Hash(Password),
                Passwords.NewStamp(),
                DateTimeOffset.UnixEpoch,
                DateTimeOffset.UnixEpoch
            );
            Assert.True(await _server.Store<IUserStore>().AddUserAsync(user));
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string ContractText() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"));

    private async Task<Browser> SignedInAsync(KeyRole role)
    {
        var browser = new Browser(_server.Address);
        var response = await PasswordSignInTests.SignInAsync(
            browser,
            role.ToString().ToLowerInvariant() + "-user",
            Password
        );
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>Submits the editor as a browser would: CRLF line endings.</summary>
    private static Task<HttpResponseMessage> SaveAsync(Browser browser, string yaml) =>
        browser.SubmitAsync(
            Page,
            "edit-form",
            new Dictionary<string, string> { ["Edit.Yaml"] = yaml.ReplaceLineEndings("\r\n") }
        );

    private static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " "));

    [Fact]
    public async Task AnAdmin_SavesANewVersion_AndSeesItsDiffInLinesAndInWords()
    {
        using var admin = await SignedInAsync(KeyRole.Admin);
        var (_, before) = await admin.PageAsync(Page);
        Assert.Contains("data-testid=\"editor\"", before, StringComparison.Ordinal);
        // The textarea holds the current YAML, escaped.
        Assert.Contains("- { metric: recall, min: 0.70 }", WebUtility.HtmlDecode(before), StringComparison.Ordinal);
        var edited = ContractText()
            .Replace("{ metric: recall, min: 0.70 }", "{ metric: recall, min: 0.75 }", StringComparison.Ordinal);

        var saved = await SaveAsync(admin, edited);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{Page}?saved=2", saved.Headers.Location!.PathAndQuery);
        var version = await _server.Store<IContractStore>().GetContractAsync(Feature);
        Assert.Equal((2, "admin-user", edited), (version!.Version, version.ChangedBy, version.Yaml));

        var (status, html) = await admin.PageAsync($"{Page}?saved=2");
        Assert.Equal(HttpStatusCode.OK, status);
        var text = Text(html);
        Assert.Contains("Saved as version 2.", text, StringComparison.Ordinal);
        Assert.Contains("The recall bar was raised from 0.7 to 0.75 (stricter).", text, StringComparison.Ordinal);
        var removed = Regex
            .Matches(html, "data-kind=\"removed\".*?</div>", RegexOptions.Singleline)
            .Select(m => Text(m.Value))
            .ToList();
        var added = Regex
            .Matches(html, "data-kind=\"added\".*?</div>", RegexOptions.Singleline)
            .Select(m => Text(m.Value))
            .ToList();
        Assert.Contains("- { metric: recall, min: 0.70 }", Assert.Single(removed), StringComparison.Ordinal);
        Assert.Contains("- { metric: recall, min: 0.75 }", Assert.Single(added), StringComparison.Ordinal);
        Assert.Contains("unchanged lines", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AContractThatDoesNotParse_IsRefusedWithTheLineToFix_KeepingTheText()
    {
        using var admin = await SignedInAsync(KeyRole.Admin);
        var broken = ContractText()
            .Replace("{ metric: recall, min: 0.70 }", "{ metric: recal, min: 0.70 }", StringComparison.Ordinal);
        var response = await SaveAsync(admin, broken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        // The same words the API answers with for the same text.
        using var api = _server.Client(KeyRole.Admin);
        var put = await api.PutAsync($"/v1/features/{Feature}/contract", new StringContent(broken));
        var detail = System
            .Text.Json.JsonDocument.Parse(await put.Content.ReadAsStringAsync())
            .RootElement.GetProperty("detail")
            .GetString()!;
        Assert.Contains("recal", detail, StringComparison.Ordinal);
        var problem = Text(Regex.Match(html, "data-testid=\"edit-problem\".*?</pre>", RegexOptions.Singleline).Value);
        Assert.Contains("The contract is not valid", problem, StringComparison.Ordinal);
        Assert.Contains(detail, problem, StringComparison.Ordinal);
        Assert.Contains(
            "{ metric: recal, min: 0.70 }",
            WebUtility.HtmlDecode(Regex.Match(html, "<textarea.*?</textarea>", RegexOptions.Singleline).Value),
            StringComparison.Ordinal
        );
        Assert.Single(await _server.Store<IContractStore>().ListContractVersionsAsync(Feature));
    }

    [Fact]
    public async Task AContractForAnotherFeature_OrUnchanged_IsNotSaved()
    {
        using var admin = await SignedInAsync(KeyRole.Admin);
        var other = await SaveAsync(
            admin,
            ContractText().Replace("feature: payments-fraud", "feature: refunds", StringComparison.Ordinal)
        );
        Assert.Contains(
            "The contract names another feature",
            Text(await other.Content.ReadAsStringAsync()),
            StringComparison.Ordinal
        );
        var same = await SaveAsync(admin, ContractText());
        Assert.Contains("Nothing changed", Text(await same.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Single(await _server.Store<IContractStore>().ListContractVersionsAsync(Feature));
    }

    [Theory]
    [InlineData(KeyRole.Viewer)]
    [InlineData(KeyRole.Reviewer)]
    public async Task AViewerOrReviewer_SeesNoEditor_AndAPostAnywayIsRefused403(KeyRole role)
    {
        using var browser = await SignedInAsync(role);
        var (status, html) = await browser.PageAsync(Page);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<textarea", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Save as new version", html, StringComparison.Ordinal);
        // A hand-made post with a valid token (the sign-out form's) and the editor's form name.
        var fields = Browser.HiddenFields(html, "edit-form");
        fields["__RequestVerificationToken"] = Regex
            .Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")
            .Groups[1]
            .Value;
        fields["_handler"] = "contract-edit";
        fields["Edit.Yaml"] = ContractText().Replace("min: 0.70", "min: 0.10", StringComparison.Ordinal);
        var response = await browser.PostAsync(Page, fields);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(
            "Only an admin may change a contract",
            Text(await response.Content.ReadAsStringAsync()),
            StringComparison.Ordinal
        );
        Assert.Single(await _server.Store<IContractStore>().ListContractVersionsAsync(Feature));
    }

    [Fact]
    public async Task TextFromTheContract_IsEscapedInTheDiffTheExplanationAndTheEditor()
    {
        using var api = _server.Client(KeyRole.Admin);
        var hostile = ContractText()
            .Replace(
                "description: Holds",
                "description: <script>alert('x')</script> & holds",
                StringComparison.Ordinal
            );
        Assert.Equal(
            HttpStatusCode.Created,
            (await api.PutAsync($"/v1/features/{Feature}/contract", new StringContent(hostile))).StatusCode
        );
        using var admin = await SignedInAsync(KeyRole.Admin);
        var (_, html) = await admin.PageAsync(Page);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        // In the explanation, the added line of the diff and the textarea.
        Assert.True(Regex.Count(html, "&lt;script&gt;alert") >= 3, "the description is shown, escaped, three times");
    }

    [Fact]
    public async Task TheDiff_ComparesAnyTwoVersions_DefaultingToTheLastTwo()
    {
        using var api = _server.Client(KeyRole.Admin);
        var v2 = ContractText().Replace("threshold: 0.15", "threshold: 0.2", StringComparison.Ordinal);
        var v3 = v2.Replace(
            "{ metric: precision, min: 0.40 }",
            "{ metric: precision, min: 0.40 }\n  - { metric: specificity, min: 0.9 }",
            StringComparison.Ordinal
        );
        await api.PutAsync($"/v1/features/{Feature}/contract", new StringContent(v2));
        await api.PutAsync($"/v1/features/{Feature}/contract", new StringContent(v3));
        using var viewer = await SignedInAsync(KeyRole.Viewer);
        var latestTwo = Text((await viewer.PageAsync(Page)).Html);
        Assert.Contains(
            "New bar: Leave at least 90% of legitimate payments alone.",
            latestTwo,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("threshold moved", latestTwo, StringComparison.Ordinal);
        var firstToLast = Text((await viewer.PageAsync($"{Page}?from=1&to=3")).Html);
        Assert.Contains("The decision threshold moved from 0.15 to 0.2.", firstToLast, StringComparison.Ordinal);
        Assert.Contains("New bar: Leave at least 90%", firstToLast, StringComparison.Ordinal);
        var same = Text((await viewer.PageAsync($"{Page}?from=2&to=2")).Html);
        Assert.Contains("Versions 2 and 2 are the same.", same, StringComparison.Ordinal);
    }
}
