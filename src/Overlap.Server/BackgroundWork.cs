using Microsoft.Extensions.Hosting;

namespace Overlap.Server;

/// <summary>
/// Work started outside a request (a dashboard figure refreshed in the background) owned by the host: each piece gets
/// the host's stopping token, and stopping waits for all of them, so nothing runs on after the store is closed.
/// </summary>
internal sealed class BackgroundWork : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];
    private bool _stopped;

    /// <summary>How many pieces are running now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Starts <paramref name="work"/> with the stopping token; false (and nothing started) once the host is stopping.</summary>
    public bool Start(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }
            var task = Task.Run(() => work(_stopping.Token), CancellationToken.None);
            _running.Add(task);
            task.ContinueWith(t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Cancels what runs and waits for it (each piece logs its own failure), within the host's shutdown time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate)
        {
            _stopped = true;
            running = [.. _running];
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (running.All(t => t.IsCompleted) || cancellationToken.IsCancellationRequested)
        {
            // A piece that failed or was cancelled has logged it; stopping goes on.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
