using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage.Postgres;

namespace Overlap.Storage;

internal static partial class ServerStorage
{
    /// <summary>
    /// The PostgreSQL state store behind the state capabilities; it opens (and migrates) when the first of them is
    /// resolved, asks the event store registered beside it whether window reports are current, and closes with the
    /// service provider.
    /// </summary>
    static partial void AddPostgres(IServiceCollection services, StorageOptions options)
    {
        var connectionString = options.Postgres!;
        services.AddSingleton(sp =>
            PostgresStore.Open(connectionString, options.MustExist, () => sp.GetService<IEventReader>())
        );
        services.AddSingleton<IContractStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IAlertStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IEvaluationStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IWindowReportStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ICalibrationStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IModelGradeStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IReviewStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ICookieKeyStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IPrivacyKeyStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ISubjectState>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<PostgresStore>());
        // Beside ClickHouse's: the review items' copy of the inputs (the retention job runs every one registered).
        services.AddSingleton<IRawRetention>(sp => sp.GetRequiredService<PostgresStore>());
    }
}
