using System.Net;
using System.Net.Sockets;

namespace Overlap.Server.Auth;

/// <summary>
/// Throttles failed authentications per client address, for keys and passwords alike: after
/// <see cref="MaxFailures"/> failures within <see cref="Window"/>, the address is answered 429 (right credentials or
/// not, so the answer tells a guesser nothing) until the oldest of those failures is <see cref="Window"/> old. An
/// IPv6 client is counted by its /64, the block one machine is usually given.
/// </summary>
internal sealed class AuthThrottle(ServerOptions options)
{
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly FailureLog _failures = new(options.Time, Window);

    /// <summary>How long the address is refused for, or null when it may try.</summary>
    public TimeSpan? Refused(IPAddress? address)
    {
        var failures = _failures.Recent(Key(address));
        return failures.Length >= MaxFailures ? failures[^MaxFailures] + Window - options.Time.GetUtcNow() : null;
    }

    /// <summary>Counts a failed authentication from the address.</summary>
    public void Failed(IPAddress? address) => _failures.Add(Key(address));

    /// <summary>"Try again in 15 minutes": a wait as people say it, rounded up.</summary>
    public static string Wait(TimeSpan wait)
    {
        if (wait < TimeSpan.FromMinutes(1))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return $"{seconds} second{(seconds == 1 ? "" : "s")}";
        }
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        return $"{minutes} minute{(minutes == 1 ? "" : "s")}";
    }

    /// <summary>The Retry-After header's value: whole seconds, rounded up.</summary>
    public static string RetryAfter(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
