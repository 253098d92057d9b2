namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// The base of every conformance class: a new, empty store of the backend per test, opened (and opened again) through
/// <see cref="StorageServices.AddOverlapStorage"/>. The tests use only the capability interfaces, so a backend passes
/// them by honouring the interfaces' contracts, whatever it stores underneath.
/// </summary>
public abstract class StoreConformance<TBackend> : IDisposable
    where TBackend : IConformanceBackend, new()
{
    /// <summary>Noon, 23 November 2026 (UTC): the tests' clock.</summary>
    protected static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The start of that day (UTC).</summary>
    protected static readonly DateTimeOffset Midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private readonly TBackend _backend = new();
    private readonly StorageOptions _options;

    protected StoreConformance() => _options = _backend.NewStore();

    /// <summary>Opens the test's store (again, when it was opened and closed before).</summary>
    protected StoreUnderTest Open() => new(_options);

    /// <summary>Opens another new, empty store of the same backend.</summary>
    protected StoreUnderTest OpenAnother() => new(_backend.NewStore());

    public void Dispose()
    {
        _backend.Dispose();
        GC.SuppressFinalize(this);
    }
}
