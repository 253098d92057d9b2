using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage.ClickHouse;

namespace Overlap.Storage;

internal static partial class ServerStorage
{
    /// <summary>
    /// The ClickHouse event store behind <see cref="IEventSink"/> and <see cref="IEventReader"/>, opened (version
    /// checked, migrations run) when the first of them is resolved, and closed with the service provider.
    /// </summary>
    static partial void AddClickHouse(IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(_ =>
            ClickHouseStore
                .OpenAsync(options.ClickHouse!, options.ClickHouseCluster, options.Location)
                .GetAwaiter()
                .GetResult()
        );
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IEventReader>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IEventMaintenance>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ISubjectEvents>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IRawRetention>(sp => sp.GetRequiredService<ClickHouseStore>());
    }
}
