using Microsoft.Extensions.DependencyInjection;

namespace Overlap.Storage;

/// <summary>
/// The registrations of <see cref="StorageBackend.Server"/>: the PostgreSQL state store when
/// <see cref="StorageOptions.Postgres"/> is set, the ClickHouse event store when <see cref="StorageOptions.ClickHouse"/> is.
/// </summary>
internal static partial class ServerStorage
{
    public static IServiceCollection Add(IServiceCollection services, StorageOptions options)
    {
        if (options.Postgres is not null)
        {
            AddPostgres(services, options);
        }
        if (options.ClickHouse is not null)
        {
            AddClickHouse(services, options);
        }
        return services;
    }

    static partial void AddPostgres(IServiceCollection services, StorageOptions options);

    static partial void AddClickHouse(IServiceCollection services, StorageOptions options);
}
