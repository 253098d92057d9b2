using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Storage;

namespace Overlap.Server.Tests.Auth;

/// <summary>
/// <see cref="OverlapServer.CreateKeyAsync"/>: an application hosting the server in its own process (the spam-filter
/// sample) makes its first keys without reaching for the store; each works with its role at once, dated by the
/// server's clock.
/// </summary>
public sealed class HostedKeyTests
{
    [Fact]
    public async Task CreateKeyAsync_MakesAKeyOfTheRole_DatedByTheServersClock()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-hosted-keys-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2002, 8, 9, 0, 0, 0, TimeSpan.Zero));
        var app = await OverlapServer.BuildAsync(
            new ServerOptions
            {
                DataFolder = folder,
                Urls = "http://127.0.0.1:0",
                Time = clock,
            }
        );
        try
        {
            await app.StartAsync();
            var admin = await OverlapServer.CreateKeyAsync(app, KeyRole.Admin, "host admin");
            var reviewer = await OverlapServer.CreateKeyAsync(app, KeyRole.Reviewer, "host reviewer");
            using var http = new HttpClient { BaseAddress = new Uri(OverlapServer.Addresses(app)[0]) };

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var keys = JsonDocument.Parse(await http.GetStringAsync("/v1/admin/keys"));
            var listed = keys
                .RootElement.EnumerateArray()
                .Single(k => k.GetProperty("name").GetString() == "host admin");
            Assert.Equal(clock.GetUtcNow(), listed.GetProperty("created_at").GetDateTimeOffset());
            Assert.StartsWith("ovl_", admin, StringComparison.Ordinal);

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reviewer);
            using var refused = await http.GetAsync("/v1/admin/keys");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
