using System.Net;
using System.Text.Json;
using Overlap.Server.Auth;
using Overlap.Server.Tests.Dashboard;
using Overlap.Storage;

namespace Overlap.Server.Tests.Webhooks;

/// <summary>Webhook addresses are secrets: only an admin sees them, over the API and on the contract page.</summary>
public sealed class ContractMaskingTests : IAsyncLifetime
{
    private const string Password = "tall green lamp on mars";
    private const string Secret = "T00/B00/secret-token";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        // A public literal address: saved, and never contacted (no window is judged).
        var v1 = AlertTests.ContractText($"https://203.0.113.10/services/{Secret}");
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/fraud/contract", new StringContent(v1))).StatusCode
        );
        var v2 = v1.Replace(Secret, "T00/B00/second-token", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/fraud/contract", new StringContent(v2))).StatusCode
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

    private async Task<string> YamlAsync(KeyRole role, string query)
    {
        using var client = _server.Client(role);
        return JsonDocument
            .Parse(await client.GetStringAsync($"/v1/features/fraud/contract{query}"))
            .RootElement.GetProperty("yaml")
            .GetString()!;
    }

    [Theory]
    [InlineData(KeyRole.Viewer, "")]
    [InlineData(KeyRole.Reviewer, "")]
    [InlineData(KeyRole.Viewer, "?version=1")]
    [InlineData(KeyRole.Reviewer, "?version=1")]
    public async Task GetContract_AsAnyoneButAnAdmin_MasksTheWebhook(KeyRole role, string query)
    {
        var yaml = await YamlAsync(role, query);
        Assert.DoesNotContain("token", yaml, StringComparison.Ordinal);
        Assert.Contains("alerts: [ { webhook: \"https://203.0.113.10/••••\" } ]", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContract_AsAnAdmin_ShowsTheWebhook()
    {
        Assert.Contains(Secret, await YamlAsync(KeyRole.Admin, "?version=1"), StringComparison.Ordinal);
        Assert.Contains("second-token", await YamlAsync(KeyRole.Admin, ""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyRole.Viewer)]
    [InlineData(KeyRole.Reviewer)]
    public async Task ContractPage_AsAnyoneButAnAdmin_MasksTheWebhookInTheDiff(KeyRole role)
    {
        using var browser = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await PasswordSignInTests.SignInAsync(browser, role.ToString().ToLowerInvariant() + "-user", Password)
            ).StatusCode
        );
        var (status, html) = await browser.PageAsync("/features/fraud/contract?from=1&to=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("token", html, StringComparison.Ordinal);
        // The changed line still shows as changed, masked on both sides.
        Assert.Contains("data-kind=\"removed\"", html, StringComparison.Ordinal);
        Assert.Contains("https://203.0.113.10/••••", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractPage_AsAnAdmin_ShowsTheWebhookInTheDiffAndTheEditor()
    {
        using var browser = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(browser, "admin-user", Password)).StatusCode
        );
        var (_, html) = await browser.PageAsync("/features/fraud/contract?from=1&to=2");
        Assert.Contains(Secret, html, StringComparison.Ordinal);
        Assert.Contains("second-token", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractEditor_AWebhookToLoopback_IsRefusedNamingTheWebhookAndWhy()
    {
        using var browser = new Browser(_server.Address);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await PasswordSignInTests.SignInAsync(browser, "admin-user", Password)).StatusCode
        );
        var text = AlertTests.ContractText("http://localhost:5080/v1/features");
        var response = await browser.SubmitAsync(
            "/features/fraud/contract",
            "edit-form",
            new Dictionary<string, string> { ["Edit.Yaml"] = text }
        );
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("A webhook may not reach that address", html, StringComparison.Ordinal);
        Assert.Contains("monitoring.alerts[0].webhook resolves to ", html, StringComparison.Ordinal);
        Assert.Contains("a loopback address", html, StringComparison.Ordinal);
        Assert.Equal(2, (await _server.Store<IContractStore>().ListContractVersionsAsync("fraud")).Count);
    }
}
