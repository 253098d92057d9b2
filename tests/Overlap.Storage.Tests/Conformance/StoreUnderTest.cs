using Overlap.Tests.Shared;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>A store opened through <see cref="StorageServices.AddOverlapStorage"/>, with each capability the server uses; disposing closes it.</summary>
public sealed class StoreUnderTest(StorageOptions options) : IAsyncDisposable
{
    private readonly TestStore _store = new(options);

    public IEventSink Sink => _store.Get<IEventSink>();

    public IEventReader Reader => _store.Get<IEventReader>();

    public IContractStore Contracts => _store.Get<IContractStore>();

    public IReviewStore Reviews => _store.Get<IReviewStore>();

    public IWindowReportStore Reports => _store.Get<IWindowReportStore>();

    public IAlertStore Alerts => _store.Get<IAlertStore>();

    public IUserStore Users => _store.Get<IUserStore>();

    public IEvaluationStore Evaluations => _store.Get<IEvaluationStore>();

    public ICalibrationStore Calibrations => _store.Get<ICalibrationStore>();

    public IModelGradeStore ModelGrades => _store.Get<IModelGradeStore>();

    /// <summary>Any other capability the backend registers.</summary>
    public T Get<T>()
        where T : notnull => _store.Get<T>();

    /// <summary>Every registration of a capability (retention: each store that keeps raw values).</summary>
    public IReadOnlyList<T> All<T>()
        where T : notnull => _store.All<T>();

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
