using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overlap.Core.Monitoring;
using Overlap.Core.Text;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Alerts;

/// <summary>
/// Sends alert state changes to webhooks in the background, retrying each address with exponential backoff
/// (<see cref="ServerOptions.WebhookAttempts"/> attempts from <see cref="ServerOptions.WebhookBackoff"/>), and records
/// the outcome and its reason in the alert history. Redirects are not followed; only addresses
/// <see cref="WebhookAddressPolicy"/> allows are reached; each attempt has <see cref="ServerOptions.WebhookTimeout"/> and
/// at most <see cref="MaxAnswerBytes"/> of the answer are read. No failure of one delivery ends the loop. The body is
/// Slack-compatible: <c>text</c> carries the message, the other fields carry the same facts for machines.
/// </summary>
internal sealed partial class WebhookDelivery(
    IAlertStore store,
    ServerOptions options,
    WebhookAddressPolicy addresses,
    ILogger<WebhookDelivery> logger
) : BackgroundService
{
    /// <summary>A receiver's answer matters only by its status; more than this of its body is never read.</summary>
    public const int MaxAnswerBytes = 4096;

    /// <summary>A reason longer than this (a receiver's long Location) is cut, so the history stays readable.</summary>
    private const int MaxShown = 200;

    private readonly Channel<(
        AlertEventRecord Alert,
        IReadOnlyList<string> Urls,
        WebhookExperiment? Experiment
    )> _queue = Channel.CreateUnbounded<(AlertEventRecord, IReadOnlyList<string>, WebhookExperiment?)>(
        new UnboundedChannelOptions { SingleReader = true }
    );
    private readonly HttpClient _http = new(
        new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // A proxy would be the address checked instead of the receiver's.
            UseProxy = false,
            ConnectCallback = addresses.ConnectAsync,
            ConnectTimeout = options.WebhookTimeout,
            MaxResponseHeadersLength = 16,
            // An answer left unread is never drained to reuse the connection: the connection is closed instead.
            MaxResponseDrainSize = 0,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        }
    )
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Queues a change for its webhooks; an experiment's change carries the experiment's facts.</summary>
    public void Enqueue(AlertEventRecord alert, IReadOnlyList<string> urls, WebhookExperiment? experiment = null) =>
        _queue.Writer.TryWrite((alert, urls, experiment));

    /// <summary>The message a person reads in the channel.</summary>
    public static string Text(AlertEventRecord alert, WebhookExperiment? experiment = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (experiment is not null)
        {
            return $"[{experiment.Decision.ToUpperInvariant()}] {alert.Feature}: experiment {experiment.Name} ({experiment.Treatment} against {experiment.Control}). {alert.Statement}";
        }
        var judged = Judged(alert.WindowStart, alert.JudgedFrom, alert.JudgedTo);
        return alert.State == AlertState.Alert
            ? $"[ALERT] {alert.Feature}: {alert.Check} ({judged}). {alert.Statement}"
            : $"[RESOLVED] {alert.Feature}: {alert.Check} is {WireName.Of(alert.State).Replace('_', ' ')} again ({judged}). {alert.Statement}";
    }

    /// <summary>
    /// The data a check judged, in words: "judged on 2026-02-01 00:00 to 2026-03-03 00:00 UTC" (a requirement's 30 days, a
    /// drift check's window), or "window from 2026-03-01 00:00 UTC" for a state recorded before checks said so.
    /// </summary>
    public static string Judged(DateTimeOffset window, DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t
            ? $"judged on {f.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} to {t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
            : $"window from {window.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (
                var (alert, urls, experiment) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false)
            )
            {
                try
                {
                    await DeliverAsync(alert, urls, experiment, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRecordFailed(logger, alert.Id, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered alerts stay 'pending' in the history.
        }
    }

    /// <summary>Sends one change to each of its webhooks and records the outcome; whatever goes wrong is logged and recorded, never thrown.</summary>
    private async Task DeliverAsync(
        AlertEventRecord alert,
        IReadOnlyList<string> urls,
        WebhookExperiment? experiment,
        CancellationToken stoppingToken
    )
    {
        var attempts = 0;
        var reasons = new List<string>();
        for (var i = 0; i < urls.Count; i++)
        {
            var (tries, reason) = await SendAsync(urls[i], alert, experiment, stoppingToken).ConfigureAwait(false);
            attempts += tries;
            if (reason is not null)
            {
                reasons.Add(urls.Count == 1 ? reason : $"monitoring.alerts[{i}].webhook: {reason}");
            }
        }
        try
        {
            await store
                .SetAlertDeliveryAsync(
                    alert.Id,
                    reasons.Count == 0 ? "delivered" : "failed",
                    attempts,
                    reasons.Count == 0 ? null : string.Join("; ", reasons),
                    CancellationToken.None
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecordFailed(logger, alert.Id, e);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <summary>Tries one address until it takes the alert, a failure is final, or the attempts run out: the attempts made, and why it failed (null when delivered).</summary>
    private async Task<(int Attempts, string? Reason)> SendAsync(
        string url,
        AlertEventRecord alert,
        WebhookExperiment? experiment,
        CancellationToken cancellationToken
    )
    {
        var body = new WebhookBody(
            Text(alert, experiment),
            alert.Feature,
            alert.Check,
            WireName.Of(alert.State),
            WireName.Of(alert.Previous),
            alert.WindowStart,
            alert.Statement,
            alert.JudgedFrom,
            alert.JudgedTo
        )
        {
            Experiment = experiment,
        };
        var delay = options.WebhookBackoff;
        var shown = ContractSecrets.MaskUrl(url);
        for (var attempt = 1; ; attempt++)
        {
            var (delivered, final, reason) = await AttemptAsync(url, body, cancellationToken).ConfigureAwait(false);
            if (delivered)
            {
                return (attempt, null);
            }
            LogAttemptFailed(logger, alert.Feature, shown, attempt, reason);
            if (final || attempt >= options.WebhookAttempts)
            {
                return (attempt, reason);
            }
            await Task.Delay(delay, options.Time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    /// <summary>One post: delivered, or why not and whether trying again could help.</summary>
    private async Task<(bool Delivered, bool Final, string Reason)> AttemptAsync(
        string url,
        WebhookBody body,
        CancellationToken cancellationToken
    )
    {
        if (
            !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        )
        {
            return (false, true, "a webhook must be an http or https address");
        }
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.WebhookTimeout);
        try
        {
            using var content = JsonContent.Create(body, ServerJsonContext.Default.WebhookBody);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            using var response = await _http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token)
                .ConfigureAwait(false);
            await ReadAtMostAsync(response, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => (true, true, ""),
                >= 300 and < 400 => (
                    false,
                    true,
                    $"the receiver answered {status} (redirect to {Shown(response.Headers.Location)}); redirects are not followed"
                ),
                408 or 429 or >= 500 => (false, false, $"the receiver answered {status}"),
                _ => (false, true, $"the receiver answered {status}"),
            };
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookRefusedException refused)
        {
            return (false, true, refused.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (
                false,
                false,
                $"no answer within {options.WebhookTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
            );
        }
        catch (HttpRequestException e)
        {
            return (false, false, $"could not reach the receiver: {Cut(e.Message)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else one receiver provokes, it fails this delivery, never the loop.
            return (false, false, $"the delivery failed: {Cut(e.Message)}");
        }
    }

    /// <summary>Reads at most <see cref="MaxAnswerBytes"/> of the answer, so a receiver cannot make the server read a huge body.</summary>
    private static async Task ReadAtMostAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxAnswerBytes];
            var read = 0;
            int n;
            while (
                read < buffer.Length
                && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0
            )
            {
                read += n;
            }
        }
    }

    /// <summary>Where a redirect pointed, without a path or query that could carry a secret.</summary>
    private static string Shown(Uri? location) =>
        location switch
        {
            null => "nowhere",
            { IsAbsoluteUri: false } => "a relative address",
            { Scheme: "http" or "https" } => ContractSecrets.MaskUrl(location.OriginalString),
            _ => $"a {location.Scheme}: address",
        };

    private static string Cut(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "…";

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Alert webhook of {Feature} ({Url}) failed on attempt {Attempt}: {Reason}"
    )]
    private static partial void LogAttemptFailed(
        ILogger logger,
        string feature,
        string url,
        int attempt,
        string reason
    );

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Recording the delivery of alert {Id} failed; it stays pending in the history"
    )]
    private static partial void LogRecordFailed(ILogger logger, long id, Exception exception);
}

/// <summary>What a webhook receives: Slack reads <c>text</c>; the rest is for machines.</summary>
public sealed record WebhookBody(
    [property: JsonPropertyName("text")] string Text,
    string Feature,
    string Check,
    string State,
    string Previous,
    DateTimeOffset WindowStart,
    string Statement,
    DateTimeOffset? JudgedFrom,
    DateTimeOffset? JudgedTo
)
{
    /// <summary>An experiment's decision, for a deployment tool to act on; absent for other checks.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WebhookExperiment? Experiment { get; init; }
}

/// <summary>What a deployment tool needs from an experiment's change: which experiment, and what to do.</summary>
/// <param name="Name">The experiment's name.</param>
/// <param name="Decision"><c>rollout</c>, <c>rollback</c>, <c>running</c> or <c>stop</c>.</param>
/// <param name="Control">The control's model version.</param>
/// <param name="Treatment">The treatment's model version.</param>
/// <param name="Reasons">What decided it: metric names, <c>split</c> or <c>max_duration</c>.</param>
public sealed record WebhookExperiment(
    string Name,
    string Decision,
    string Control,
    string Treatment,
    IReadOnlyList<string> Reasons
);
