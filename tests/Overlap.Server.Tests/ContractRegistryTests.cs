using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>The contract registry: each feature's current contract with its version, changed only by the save path and read back on start.</summary>
public sealed class ContractRegistryTests
{
    private const string Feature = "payments-fraud";

    [Fact]
    public async Task Registry_ContractSavedTwiceThenServerRestarted_HoldsTheLatestVersionParsed()
    {
        var yaml = await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml")
        );
        var folder = Directory.CreateTempSubdirectory("overlap-registry-").FullName;
        var first = await RunningServer.StartAsync(folder);
        using (var admin = first.Client(KeyRole.Admin))
        {
            Assert.Equal(
                HttpStatusCode.Created,
                (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
            );
            Assert.Equal(
                HttpStatusCode.Created,
                (
                    await admin.PutAsync(
                        $"/v1/features/{Feature}/contract",
                        new StringContent(yaml.Replace("threshold: 0.15", "threshold: 0.25", StringComparison.Ordinal))
                    )
                ).StatusCode
            );
        }
        var saved = first.Services.GetRequiredService<ContractRegistry>().Current(Feature)!;
        Assert.Equal((2, 0.25), (saved.Version, saved.Contract.Threshold));
        await first.StopKeepingDataAsync();

        await using var second = await RunningServer.StartAsync(folder);
        var registry = second.Services.GetRequiredService<ContractRegistry>();
        var loaded = registry.Current(Feature)!;
        Assert.Equal((2, 0.25), (loaded.Version, loaded.Contract.Threshold));
        // A save that lands after a later one (two admins at once) does not make the older version current again.
        var older = await second.Store<IContractStore>().GetContractAsync(Feature, 1);
        registry.Saved(older!, loaded.Contract with { Threshold = 0.15 });
        Assert.Equal((2, 0.25), (registry.Current(Feature)!.Version, registry.Current(Feature)!.Contract.Threshold));
        Assert.Null(registry.Current("no-such-feature"));
    }
}
