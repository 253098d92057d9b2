using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Storage;

namespace Overlap.Server.Alerts;

/// <summary>
/// Sends alert state changes to webhooks in the background, retrying each address with exponential backoff
/// (<see cref="ServerOptions.WebhookAttempts"/> attempts from <see cref="ServerOptions.WebhookBackoff"/>), and records
/// the outcome in the alert history. The body is Slack-compatible: <c>text</c> carries the message, the other fields
/// carry the same facts for machines.
/// </summary>
internal sealed partial class WebhookDelivery(IEventStore store, ServerOptions options, ILogger<WebhookDelivery> logger) : BackgroundService
{
    private readonly Channel<(AlertEventRecord Alert, IReadOnlyList<string> Urls)> _queue = Channel.CreateUnbounded<(AlertEventRecord, IReadOnlyList<string>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(10) };

    public void Enqueue(AlertEventRecord alert, IReadOnlyList<string> urls) => _queue.Writer.TryWrite((alert, urls));

    /// <summary>The message a person reads in the channel.</summary>
    public static string Text(AlertEventRecord alert)
    {
        var day = alert.WindowStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return alert.State == "alert"
            ? $"[ALERT] {alert.Feature}: {alert.Check} (window from {day} UTC). {alert.Statement}"
            : $"[RESOLVED] {alert.Feature}: {alert.Check} is {alert.State.Replace('_', ' ')} again (window from {day} UTC). {alert.Statement}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (alert, urls) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var attempts = 0;
                var delivered = true;
                foreach (var url in urls)
                {
                    var (ok, tries) = await SendAsync(url, alert, stoppingToken).ConfigureAwait(false);
                    attempts += tries;
                    delivered &= ok;
                }
                await store.SetAlertDeliveryAsync(alert.Id, delivered ? "delivered" : "failed", attempts, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered alerts stay 'pending' in the history.
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task<(bool Delivered, int Attempts)> SendAsync(string url, AlertEventRecord alert, CancellationToken cancellationToken)
    {
        var body = new WebhookBody(Text(alert), alert.Feature, alert.Check, alert.State, alert.Previous, alert.WindowStart, alert.Statement);
        var delay = options.WebhookBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(url, body, ServerJsonContext.Default.WebhookBody, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (true, attempt);
                }
                LogAttemptFailed(logger, url, attempt, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogAttemptFailed(logger, url, attempt, e.Message);
            }
            if (attempt >= options.WebhookAttempts)
            {
                return (false, attempt);
            }
            await Task.Delay(delay, options.Time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} failed on attempt {Attempt}: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string url, int attempt, string reason);
}

/// <summary>What a webhook receives: Slack reads <c>text</c>; the rest is for machines.</summary>
public sealed record WebhookBody(
    [property: JsonPropertyName("text")] string Text,
    string Feature,
    string Check,
    string State,
    string Previous,
    DateTimeOffset WindowStart,
    string Statement);
