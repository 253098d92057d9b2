using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage.DuckDb;

namespace Overlap.Storage;

/// <summary>The one registration of storage: the backend the options name, behind each capability interface.</summary>
public static class StorageServices
{
    /// <summary>
    /// Registers the backend <paramref name="options"/> names as the singleton behind <see cref="IEventSink"/>,
    /// <see cref="IEventReader"/>, <see cref="IContractStore"/>, <see cref="IReviewStore"/>,
    /// <see cref="IWindowReportStore"/>, <see cref="IAlertStore"/>, <see cref="IUserStore"/>,
    /// <see cref="IEvaluationStore"/>, <see cref="ICalibrationStore"/>, <see cref="IModelGradeStore"/>,
    /// <see cref="ISubjectEvents"/>, <see cref="ISubjectState"/>, <see cref="IAuditStore"/> and <see cref="IRawRetention"/>. The store opens when the first of them is
    /// resolved (a store that cannot be opened throws <see cref="StoreUnavailableException"/> there) and closes with the
    /// service provider.
    /// </summary>
    public static IServiceCollection AddOverlapStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return options.Backend switch
        {
            StorageBackend.DuckDb => services
                .AddCapabilities(_ => DuckDbStore.Open(options.Location, options.MustExist, options.DedupHorizon))
                .AddSingleton<ISubjectEvents>(sp => sp.GetRequiredService<DuckDbStore>())
                .AddSingleton<ISubjectState>(sp => sp.GetRequiredService<DuckDbStore>())
                .AddSingleton<IAuditStore>(sp => sp.GetRequiredService<DuckDbStore>())
                .AddSingleton<IRawRetention>(sp => sp.GetRequiredService<DuckDbStore>()),
            StorageBackend.Server => ServerStorage.Add(services, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "an unknown storage backend"),
        };
    }

    private static IServiceCollection AddCapabilities<TStore>(
        this IServiceCollection services,
        Func<IServiceProvider, TStore> open
    )
        where TStore : class,
            IEventSink,
            IEventReader,
            IContractStore,
            IReviewStore,
            IWindowReportStore,
            IAlertStore,
            IUserStore,
            IEvaluationStore,
            ICalibrationStore,
            IModelGradeStore
    {
        services.AddSingleton(open);
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IEventReader>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IContractStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IReviewStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IWindowReportStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IAlertStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IEvaluationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ICalibrationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IModelGradeStore>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
