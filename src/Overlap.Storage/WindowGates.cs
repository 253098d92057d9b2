using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Storage;

/// <summary>
/// The windows held in this process (<see cref="IWindowReportStore.HoldWindowAsync"/>), one gate per window key: a
/// request for a window another request here holds waits on the gate, and different windows never wait for each other.
/// A gate lives while someone holds or waits for it, so there are never more than the windows being asked for. In front
/// of a shared store's lock, it keeps the waiting in this process: however many requests ask for a window another
/// server computes, one of them waits on the store (one connection), the others here.
/// </summary>
internal sealed class WindowGates
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>The key of a window: everything that makes its report another report.</summary>
    public static string Key(
        string feature,
        DateTimeOffset start,
        TimeSpan window,
        int contractVersion,
        int resamples
    ) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{feature}\n{UnixMicroseconds.From(start)}\n{UnixMicroseconds.Of(window)}\n{contractVersion}\n{resamples}"
        );

    /// <summary>The key of a feature's calibration fit for a contract version (<see cref="ICalibrationStore.HoldFitAsync"/>): no window's key.</summary>
    public static string FitKey(string feature, int contractVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"{feature}\nfit\n{contractVersion}");

    /// <summary>The number of gates held or waited for (for tests: it goes back to 0).</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Waits until no one in this process holds <paramref name="key"/>, then holds it until the returned hold
    /// is disposed.</summary>
    public async Task<IAsyncDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate!))
            {
                gate = new Gate();
                _gates[key] = gate;
            }
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, gate, entered: false);
            throw;
        }
        return new Held(this, key, gate);
    }

    private void Leave(string key, Gate gate, bool entered)
    {
        lock (_gates)
        {
            if (entered)
            {
                gate.Semaphore.Release();
            }
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(WindowGates gates, string key, Gate gate) : IAsyncDisposable
    {
        private int _left;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gates.Leave(key, gate, entered: true);
            }
            return ValueTask.CompletedTask;
        }
    }
}
