using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Overlap.Cluster.Tests;

/// <summary>
/// The score calibration is fitted by one instance and kept in PostgreSQL: another instance reads it instead of reading
/// the reference sample again (at 10,000,000 predictions a day, the first read through the other instance took minutes).
/// </summary>
public sealed class CalibrationTests
{
    [Fact]
    public async Task An_instance_reads_the_calibration_another_fitted()
    {
        await using var both = await TwoInstances.StartAsync();
        // B is stopped before the contract exists, so nothing it does in the background fits the calibration first.
        await both.KillAsync(1);
        using var a = both.Client(0);
        await Traffic.PutContractAsync(a);
        // Predictions and their outcomes in the contract's reference period (January 2026).
        var ids = Enumerable.Range(0, 300).Select(i => $"ref-{i:D3}").ToArray();
        await Traffic.SendAsync(
            a,
            [
                .. ids.Select(
                    (id, i) => Traffic.Prediction(i, id).Replace("\"2026-11-", "\"2026-01-", StringComparison.Ordinal)
                ),
            ]
        );
        await Traffic.SendAsync(
            a,
            [.. ids.Select((id, i) => (id, i)).Where(p => p.i % 3 != 0).Select(p => Traffic.Outcome(p.i, p.id))]
        );
        const string Metrics = $"/v1/features/{Traffic.Feature}/metrics?from=2026-01-20&to=2026-01-23";
        var onA = await CalibrationAsync(a, Metrics);
        Assert.Equal("reference", (string)onA["source"]!);
        Assert.Equal(200, (long)onA["rows"]!);

        // The fit A stored, written over with another count: B, started now, shows that count, so it read the stored
        // fit instead of fitting its own.
        await using (var connection = new NpgsqlConnection(both.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "UPDATE fitted_calibrations SET n = 4242 WHERE feature = @feature AND contract_version = 1 AND n = 200",
                connection
            );
            command.Parameters.AddWithValue("feature", Traffic.Feature);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        await both.StartAsync(1);
        using var b = both.Client(1);
        var onB = await CalibrationAsync(b, Metrics);
        Assert.Equal(4242, (long)onB["rows"]!);
        Assert.Contains(
            "4,242 labelled predictions of the reference period",
            (string)onB["statement"]!,
            StringComparison.Ordinal
        );
    }

    private static async Task<JsonNode> CalibrationAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["calibration"]!;
    }
}
