namespace Overlap.Server.Auth;

/// <summary>
/// Slows guessing at one name from many addresses: the first <see cref="FreeFailures"/> wrong passwords within
/// <see cref="Window"/> cost nothing; after each one beyond, the name waits <see cref="First"/>, doubling, never more
/// than <see cref="Longest"/> after the latest failure, so a lock-out is never for good. A browser the user signed
/// in on before is not held back (<see cref="TrustedDevices"/>).
/// </summary>
internal sealed class PasswordBackoff(ServerOptions options)
{
    public const int FreeFailures = 4;

    public static readonly TimeSpan First = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly FailureLog _failures = new(options.Time, Window);

    /// <summary>How long the name must wait, or null when it may try.</summary>
    public TimeSpan? Refused(string name)
    {
        var failures = _failures.Recent(name);
        if (failures.Length <= FreeFailures)
        {
            return null;
        }
        var doublings = Math.Min(failures.Length - FreeFailures - 1, 10);
        var delay = TimeSpan.FromTicks(Math.Min(First.Ticks << doublings, Longest.Ticks));
        var wait = failures[^1] + delay - options.Time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a wrong password for the name.</summary>
    public void Failed(string name) => _failures.Add(name);

    /// <summary>A right password clears the name's failures.</summary>
    public void Succeeded(string name) => _failures.Clear(name);
}
