using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Overlap.Server.Alerts;

/// <summary>
/// Which addresses a webhook may reach: public ones only, unless an admin allowed the host or its range
/// (<see cref="ServerOptions.WebhookAllow"/>). A host is judged by every address it resolves to, so any spelling of
/// loopback (<c>2130706433</c>, <c>0x7f.0.0.1</c>, <c>localhost</c>, <c>[::ffff:127.0.0.1]</c>) is caught. It is checked
/// when a contract is saved and again when a delivery connects (<see cref="ConnectAsync"/>), which also defeats a name
/// that resolves elsewhere by the time of delivery.
/// </summary>
internal sealed class WebhookAddressPolicy
{
    /// <summary>What a refusal ends with: how to allow it.</summary>
    public const string HowToAllow =
        "webhooks may reach only public addresses unless an admin allows this host with --webhook-allow";

    /// <summary>How long a save waits for a host's name to resolve before leaving the check to delivery.</summary>
    private static readonly TimeSpan SaveResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The ranges a webhook may not reach by default, with the words a refusal uses for each (RFC 6890 and friends).</summary>
    private static readonly (IPNetwork Network, string Kind)[] Reserved =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a private address"),
        (IPNetwork.Parse("fc00::/7"), "a private address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    /// <summary>IPv6 ranges that carry an IPv4 address inside (IPv4-compatible, NAT64, 6to4), with where it starts.</summary>
    private static readonly (IPNetwork Network, int Offset)[] Embedding =
    [
        (IPNetwork.Parse("::/96"), 12),
        (IPNetwork.Parse("64:ff9b::/96"), 12),
        (IPNetwork.Parse("2002::/16"), 2),
    ];

    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    /// <summary>The policy with the admin's allow-list; an entry that is neither a host nor an address range throws.</summary>
    public WebhookAddressPolicy(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var entry in options.WebhookAllow)
        {
            if (AllowEntryError(entry) is { } error)
            {
                throw new ArgumentException(error, nameof(options));
            }
            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hosts.Add(entry.TrimEnd('.'));
            }
        }
    }

    /// <summary>Why <paramref name="entry"/> cannot be an allow-list entry, or null when it can.</summary>
    public static string? AllowEntryError(string entry) =>
        IPNetwork.TryParse(entry, out _)
        || IPAddress.TryParse(entry?.Trim('[', ']'), out _)
        || Uri.CheckHostName(entry?.TrimEnd('.')) == UriHostNameType.Dns
            ? null
            : $"'{entry}' is neither a host name (hooks.internal), an address (10.0.0.5) nor a range (10.0.0.0/8)";

    /// <summary>
    /// What kind of address <paramref name="address"/> is when a webhook may not reach it by default ("a loopback
    /// address"), or null for a public one. IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as IPv4.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }
        foreach (var (network, kind) in Reserved)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        foreach (var (network, offset) in Embedding)
        {
            if (network.Contains(address))
            {
                return Classify(new IPAddress(address.GetAddressBytes().AsSpan(offset, 4)));
            }
        }
        return null;
    }

    /// <summary>Why a webhook to <paramref name="host"/> may not reach <paramref name="addresses"/>, or null when every one is allowed.</summary>
    public string? Refusal(string host, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (_hosts.Contains(host.TrimEnd('.')))
        {
            return null;
        }
        var own = OwnAddresses();
        foreach (var address in addresses)
        {
            if (
                _networks.Exists(n =>
                    n.Contains(address) || (address.IsIPv4MappedToIPv6 && n.Contains(address.MapToIPv4()))
                )
            )
            {
                continue;
            }
            var kind = Classify(address) ?? (own.Contains(address) ? "one of this server's own addresses" : null);
            if (kind is not null)
            {
                return $"resolves to {address}, {kind}";
            }
        }
        return addresses.Count == 0 ? $"'{host}' resolves to no address" : null;
    }

    /// <summary>
    /// Why a contract may not send alerts to <paramref name="url"/>, or null. A name that does not resolve now is
    /// let through: delivery checks it again when it connects.
    /// </summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SaveResolveTimeout);
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await ResolveAsync(url.IdnHost, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is SocketException or ArgumentException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            )
        {
            return null;
        }
        return Refusal(url.IdnHost, addresses);
    }

    /// <summary>
    /// The delivery client's connect step: resolves the host, refuses before any connection when an address is not
    /// allowed (<see cref="WebhookRefusedException"/>), and otherwise connects to the addresses it checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (Refusal(host, addresses) is { } reason)
        {
            throw new WebhookRefusedException($"{host.Trim('[', ']')} {reason}; {HowToAllow}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket
                .ConnectAsync([.. addresses], context.DnsEndPoint.Port, cancellationToken)
                .ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IReadOnlyList<IPAddress>> ResolveAsync(
        string host,
        CancellationToken cancellationToken
    ) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

    /// <summary>The addresses of this machine's interfaces: a webhook to one of them reaches the server itself.</summary>
    private static HashSet<IPAddress> OwnAddresses()
    {
        var own = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    own.Add(unicast.Address);
                    own.Add(unicast.Address.MapToIPv6());
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without the interface list, the ranges above still refuse loopback and private addresses.
        }
        return own;
    }
}
