using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Overlap.Client;

/// <summary><c>services.AddOverlap(o => { o.Endpoint = …; o.ApiKey = …; })</c>.</summary>
public static class OverlapServiceCollectionExtensions
{
    /// <summary>Registers one <see cref="IOverlapClient"/> for the application; the container flushes it when disposed.</summary>
    public static IServiceCollection AddOverlap(
        this IServiceCollection services,
        Action<OverlapClientOptions> configure
    )
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OverlapClientOptions>().Configure(configure);
        services.AddSingleton<IOverlapClient>(sp => new OverlapClient(
            sp.GetRequiredService<IOptions<OverlapClientOptions>>().Value,
            sp.GetService<ILogger<OverlapClient>>()
        ));
        return services;
    }
}
