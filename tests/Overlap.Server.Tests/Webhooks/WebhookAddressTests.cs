using System.Net;
using System.Text.Json;
using Overlap.Server.Alerts;
using Overlap.Storage;

namespace Overlap.Server.Tests.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. Nothing here connects anywhere: addresses are classified, and contracts naming
/// them are refused at save (a public literal address is saved, never contacted).
/// </summary>
public sealed class WebhookAddressTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Detail)> PutAsync(RunningServer server, string hook)
    {
        using var admin = server.Client(KeyRole.Admin);
        var response = await admin.PutAsync(
            "/v1/features/fraud/contract",
            new StringContent(AlertTests.ContractText(hook))
        );
        var body = await response.Content.ReadAsStringAsync();
        return (
            response.StatusCode,
            response.IsSuccessStatusCode ? "" : JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!
        );
    }

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.255.0.9", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]
    [InlineData("::127.0.0.1", "a loopback address")]
    [InlineData("64:ff9b::7f00:1", "a loopback address")]
    [InlineData("2002:7f00:1::", "a loopback address")]
    [InlineData("10.1.2.3", "a private address")]
    [InlineData("172.31.255.255", "a private address")]
    [InlineData("192.168.0.1", "a private address")]
    [InlineData("::ffff:192.168.0.1", "a private address")]
    [InlineData("fd12:3456::1", "a private address")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT) address")]
    [InlineData("169.254.169.254", "a link-local address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("0.0.0.0", "an unspecified address")]
    [InlineData("::", "an unspecified address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    public void Classify_NonPublicAddress_SaysWhatItIs(string address, string kind) =>
        Assert.Equal(kind, WebhookAddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:203.0.113.10")]
    public void Classify_PublicAddress_IsNull(string address) =>
        Assert.Null(WebhookAddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/hook", "127.0.0.1, a loopback address")]
    [InlineData("http://2130706433/hook", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f.0.0.1/hook", "127.0.0.1, a loopback address")]
    [InlineData("http://0177.0.0.1/hook", "127.0.0.1, a loopback address")]
    [InlineData("http://127.1/hook", "127.0.0.1, a loopback address")]
    [InlineData("http://localhost:8080/hook", "a loopback address")]
    [InlineData("http://[::1]/hook", "::1, a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "a loopback address")]
    [InlineData("https://10.0.0.5/hook", "10.0.0.5, a private address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254, a link-local address")]
    [InlineData("http://0.0.0.0:5080/hook", "0.0.0.0, an unspecified address")]
    [InlineData("http://[fd00::1]/hook", "fd00::1, a private address")]
    public async Task PutContract_WebhookToANonPublicAddress_IsRefused400_NamingTheWebhookAndWhy(
        string hook,
        string why
    )
    {
        var (status, detail) = await PutAsync(_server, hook);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("monitoring.alerts[0].webhook resolves to ", detail, StringComparison.Ordinal);
        Assert.Contains(why, detail, StringComparison.Ordinal);
        Assert.EndsWith(
            "webhooks may reach only public addresses unless an admin allows this host with --webhook-allow.",
            detail,
            StringComparison.Ordinal
        );
        Assert.Empty(await _server.Store<IContractStore>().ListContractVersionsAsync("fraud"));
    }

    [Fact]
    public async Task PutContract_WebhookToAPublicAddress_IsSaved()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(_server, "https://203.0.113.10/hook")).Status);
    }

    [Fact]
    public async Task PutContract_NonPublicAddressTheAdminAllowed_ByRangeOrByHost_IsSaved()
    {
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                WebhookAllow = ["10.0.0.0/8", "localhost", "::1"],
            }
        );
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(server, "https://10.20.30.40/hook")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(server, "http://localhost:9000/hook")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(server, "http://[::1]:9000/hook")).Status);
        // What the allow-list does not name stays refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(server, "http://192.168.1.1/hook")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(server, "http://127.0.0.1/hook")).Status);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1/128", true)]
    [InlineData("hooks.internal", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("http://hooks.internal/", false)]
    [InlineData("not a host", false)]
    [InlineData("", false)]
    public void WebhookAllowError_TellsAnEntryThatIsNeitherHostNorRange(string entry, bool fine) =>
        Assert.Equal(fine, ServerOptions.WebhookAllowError(entry) is null);
}
