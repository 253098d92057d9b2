using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Events.Experiments;
using Overlap.Server.Tests;
using Overlap.Storage;

namespace Overlap.Client.Tests;

/// <summary>
/// <c>client.AssignAsync</c> against a real server: it agrees with <c>GET /v1/experiments/{e}/assign</c> unit by unit,
/// follows a changed split after <see cref="OverlapClientOptions.ExperimentRefresh"/>, keeps the last rule while the
/// server is gone, and refuses an unknown experiment in words.
/// </summary>
public sealed class ExperimentAssignTests
{
    private static string Contract(string split, bool shadow = false) =>
        $$"""
            feature: spam-filter
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { label: is_spam, score: p_spam }
            experiments:
              - name: spam-v2
                control: nb@1
                treatment: nb@2
                unit: user_id
                {{(shadow ? "shadow: true" : $"split: {split}")}}
                primary: [{ metric: recall, min_effect: 0.03 }]
            """;

    private static async Task PutAsync(RunningServer server, string yaml)
    {
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            "/v1/features/spam-filter/contract",
            new StringContent(yaml, Encoding.UTF8, "application/yaml")
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    private static OverlapClient Client(RunningServer server, TimeProvider time) =>
        new(
            new OverlapClientOptions
            {
                Endpoint = server.Address,
                ApiKey = server.Key(KeyRole.Ingest),
                Time = time,
            }
        );

    [Fact]
    public async Task Assign_AgreesWithTheServer_UnitByUnit_InThePlannedShares()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        await PutAsync(server, Contract("[80, 20]"));
        await using var client = Client(server, clock);
        using var http = server.Client(KeyRole.Ingest);
        var treated = 0;
        for (var i = 0; i < 300; i++)
        {
            var unit = $"user-{i}";
            var arm = await client.AssignAsync("spam-v2", unit);
            using var answer = JsonDocument.Parse(
                await http.GetStringAsync($"/v1/experiments/spam-v2/assign?unit={Uri.EscapeDataString(unit)}")
            );
            Assert.Equal(answer.RootElement.GetProperty("arm").GetString(), arm.Arm);
            Assert.Equal(answer.RootElement.GetProperty("version").GetString(), arm.ModelVersion);
            Assert.Equal(arm.IsTreatment ? "nb@2" : "nb@1", arm.ModelVersion);
            Assert.Equal(("spam-v2", "spam-filter", unit), (arm.Experiment, arm.Feature, arm.Unit));
            treated += arm.IsTreatment ? 1 : 0;
        }
        // 20% of 300 is 60, with a binomial standard deviation of about 6.9: four standard deviations either side.
        Assert.InRange(treated, 60 - 28, 60 + 28);

        var rule = await client.GetExperimentRuleAsync("spam-v2");
        Assert.Equal(new[] { 80.0, 20.0 }, rule.Split);
        Assert.Equal(("spam-v2", "user_id", false), (rule.Salt, rule.Unit, rule.Shadow));
    }

    [Fact]
    public async Task Assign_FollowsAChangedSplit_AfterTheRefresh_AndKeepsTheLastRuleWhileTheServerIsGone()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        await PutAsync(server, Contract("[50, 50]"));
        await using var client = Client(server, clock);
        // A unit whose point lies between 0.5 and 0.9: treatment at 50/50, control at 90/10.
        var unit = Enumerable
            .Range(0, 1000)
            .Select(i => $"user-{i}")
            .First(u => ArmAssignment.Point("spam-v2", u) is > 0.5 and < 0.9);
        Assert.True((await client.AssignAsync("spam-v2", unit)).IsTreatment);

        await PutAsync(server, Contract("[90, 10]"));
        Assert.True((await client.AssignAsync("spam-v2", unit)).IsTreatment);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False((await client.AssignAsync("spam-v2", unit)).IsTreatment);

        // In shadow mode every unit is served by the control.
        await PutAsync(server, Contract("", shadow: true));
        clock.Advance(TimeSpan.FromMinutes(1));
        var shadowed = await client.AssignAsync("spam-v2", unit);
        Assert.Equal(("control", "nb@1"), (shadowed.Arm, shadowed.ModelVersion));

        // The server goes away: the last rule is used (and the refresh is tried again each time).
        await server.DisposeAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("control", (await client.AssignAsync("spam-v2", unit)).Arm);
        // An experiment never fetched cannot be assigned without the server: said in words.
        var gone = await Assert.ThrowsAsync<OverlapExperimentException>(() => client.AssignAsync("other", unit));
        Assert.Contains("could not get the rule of experiment 'other'", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_UnknownExperiment_SaysWhatToDo()
    {
        await using var server = await RunningServer.StartAsync();
        await PutAsync(server, Contract("[50, 50]"));
        await using var client = Client(server, TimeProvider.System);
        var unknown = await Assert.ThrowsAsync<OverlapExperimentException>(() => client.AssignAsync("nope", "u1"));
        Assert.Contains("Overlap answered 404 for experiment 'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("add it under 'experiments:'", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.AssignAsync("spam-v2", ""));
        Assert.Equal(
            HttpStatusCode.OK,
            (await server.Client(KeyRole.Ingest).GetAsync("/v1/experiments/spam-v2/rule")).StatusCode
        );
    }
}
