using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>
/// A minimal browser over HttpClient for server-rendered pages: keeps cookies itself (so a test can read their flags
/// and carry them to a restarted server), follows no redirects, and posts a page's form with its hidden fields
/// (Blazor's form name and the antiforgery token). With <c>from</c> it connects from another loopback address
/// (127.0.0.2, …: all of 127.0.0.0/8 is loopback), so a test can be two clients at two addresses.
/// </summary>
internal sealed partial class Browser(Uri address, IPAddress? from = null) : IDisposable
{
    private readonly HttpClient _client = new(Handler(from))
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A handler that keeps no cookies, follows no redirects, and binds to <paramref name="from"/> when given (loopback only).</summary>
    public static SocketsHttpHandler Handler(IPAddress? from)
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        if (from is not null)
        {
            Assert.True(IPAddress.IsLoopback(from), "tests connect from loopback addresses only");
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    var target = context.DnsEndPoint;
                    Assert.True(
                        IPAddress.IsLoopback(IPAddress.Parse(target.Host)),
                        "tests connect to loopback addresses only"
                    );
                    await socket.ConnectAsync(IPAddress.Parse(target.Host), target.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return handler;
    }

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The Set-Cookie headers of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public async Task<HttpResponseMessage> GetAsync(string path) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>The page's HTML, decoded to the text a person reads where asserted on.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PageAsync(string path)
    {
        var response = await GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="path"/>, then posts the form marked <c>data-testid=<paramref name="form"/></c> with its hidden fields and <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(
        string path,
        string form,
        IReadOnlyDictionary<string, string> fields
    )
    {
        var (_, html) = await PageAsync(path);
        var hidden = HiddenFields(html, form);
        foreach (var (name, value) in fields)
        {
            hidden[name] = value;
        }
        return await PostAsync(path, hidden);
    }

    /// <summary>Posts form fields as they are (no token unless given).</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> fields) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) });

    /// <summary>The hidden inputs of the form marked with <paramref name="form"/>.</summary>
    public static Dictionary<string, string> HiddenFields(string html, string form)
    {
        var match = Regex.Match(html, $"<form[^>]*data-testid=\"{form}\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no form '{form}' on the page");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in HiddenInput().Matches(match.Groups[1].Value))
        {
            fields[WebUtility.HtmlDecode(Attribute(input.Value, "name"))] = WebUtility.HtmlDecode(
                Attribute(input.Value, "value")
            );
        }
        return fields;
    }

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await _client.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? [.. set] : [];
        foreach (var cookie in LastSetCookies)
        {
            var pair = cookie.Split(';')[0];
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                Cookies.Remove(name);
            }
            else
            {
                Cookies[name] = value;
            }
        }
        return response;
    }

    public void Dispose() => _client.Dispose();
}
