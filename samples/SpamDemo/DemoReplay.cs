using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Time.Testing;
using Overlap.Client;
using Overlap.Core.Contracts;
using Overlap.Events;
using Overlap.Guard;

namespace Overlap.Demo;

/// <summary>One email as production sees it: when it came, the model's score, the true label (known later), and what was sent with it.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Time">When it arrived.</param>
/// <param name="Score">The model's probability of spam.</param>
/// <param name="Label">The true label (spam or ham), sent as an outcome after the label delay.</param>
/// <param name="InputsJson">The inputs as a JSON object (what the model read, in numbers).</param>
/// <param name="AttributesJson">The attributes as a JSON object (the segments).</param>
internal sealed record ReplayMail(
    string Id,
    DateTimeOffset Time,
    double Score,
    string Label,
    string InputsJson,
    string AttributesJson
);

/// <summary>How the replay runs: the feature, keys, the server's clock, the label delay, the reviewers' pace.</summary>
internal sealed record ReplayOptions
{
    public required string Feature { get; init; }

    /// <summary>The feature's contract, whose workflow the mail server's guard enforces on every email.</summary>
    public required Contract Contract { get; init; }

    public required Uri Server { get; init; }

    public required string IngestKey { get; init; }

    /// <summary>The scripted reviewers' keys: the first decides, the second gives second opinions, the third settles disagreements.</summary>
    public required IReadOnlyList<string> ReviewerKeys { get; init; }

    /// <summary>The server's clock, moved by the replay an hour at a time.</summary>
    public required FakeTimeProvider Clock { get; init; }

    /// <summary>How long after an email its true label arrives.</summary>
    public TimeSpan LabelDelay { get; init; } = TimeSpan.FromDays(3);

    /// <summary>The share of emails whose true label arrives at all (users report only some).</summary>
    public double LabelledShare { get; init; } = 0.8;

    /// <summary>How many review items the scripted reviewers decide each replayed day.</summary>
    public int ReviewsPerDay { get; init; } = 15;

    /// <summary>
    /// How long before the last email the reviewers stop working the queue: the items routed since stay pending, so the
    /// review page has work to show when the demo ends.
    /// </summary>
    public TimeSpan ReviewersAway { get; init; } = TimeSpan.FromDays(2);

    /// <summary>How often a scripted reviewer gets it wrong (so reviewers do not agree perfectly).</summary>
    public double ReviewerSlip { get; init; } = 0.05;

    /// <summary>How long the whole replay should take in real time.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>True labels of mail sent before the replay (the reference period), which can be routed to review too.</summary>
    public IReadOnlyDictionary<string, string> EarlierLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The model version the predictions carry, when no <see cref="MailServer"/> serves them.</summary>
    public string ModelVersion { get; init; } = "v1";

    /// <summary>Serves each email (which model scores it, and its score); null to use the score the mail carries.</summary>
    public IMailServer? MailServer { get; init; }

    /// <summary>Called after each hour of the server's clock, once the hour's events are in (the release manager's turn).</summary>
    public Func<DateTimeOffset, CancellationToken, Task>? AfterHour { get; init; }
}

/// <summary>The mail server's models: which version serves an email now, and its score by that version.</summary>
internal interface IMailServer
{
    /// <summary>The model version that serves <paramref name="mail"/> (its experiment arm, while one runs).</summary>
    Task<string> VersionAsync(ReplayMail mail, CancellationToken cancellationToken);

    /// <summary>The score model <paramref name="version"/> gives <paramref name="mail"/>.</summary>
    double Score(ReplayMail mail, string version);
}

/// <summary>What the mail server's guard did with one email: the model version asked, its score (none when the input was refused) and the route.</summary>
internal sealed record GuardedMail(string Id, DateTimeOffset Time, string ModelVersion, double? Score, string Route);

/// <summary>What the replay did, in figures.</summary>
internal sealed record ReplayResult(int Predictions, int Outcomes, int Reviewed, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Each email as the guard decided it, in the order sent (not in summary.json: the demo writes it as replayed.csv).</summary>
    [JsonIgnore]
    public IReadOnlyList<GuardedMail> Guarded { get; init; } = [];
}

/// <summary>
/// Replays emails in date order into a running server through the .NET SDK, on the server's own clock moved an hour at a
/// time (so windows close, labels fall due and alerts are judged as they would in production, only faster): each email
/// decided when it arrives by the contract's guard (<see cref="OverlapGuard.Decide(IReadOnlyDictionary{string, object?}, Func{IReadOnlyDictionary{string, object?}, double}, string?)"/>,
/// which checks its inputs, scores it, leaves a score in the abstain band to a person and logs the prediction with its
/// route), true labels after the label delay, and a scripted pair of reviewers working the review queue each day from
/// the true labels, with a small slip rate, until <see cref="ReplayOptions.ReviewersAway"/> before the last email.
/// </summary>
internal static class DemoReplay
{
    private static readonly TimeSpan Step = TimeSpan.FromHours(1);

    /// <summary>Runs the replay; <paramref name="progress"/> gets the share done (0 to 1).</summary>
    public static async Task<ReplayResult> RunAsync(
        IReadOnlyList<ReplayMail> mails,
        ReplayOptions options,
        IProgress<double>? progress,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(mails);
        ArgumentNullException.ThrowIfNull(options);
        if (mails.Count == 0)
        {
            return new ReplayResult(0, 0, 0, options.Clock.GetUtcNow(), options.Clock.GetUtcNow());
        }
        var ordered = mails.OrderBy(m => m.Time).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        var labels = ordered
            .Where(m => Picked(m.Id, "label") < options.LabelledShare)
            .OrderBy(m => m.Time + options.LabelDelay)
            .ToList();
        var truth = new Dictionary<string, string>(options.EarlierLabels, StringComparer.Ordinal);
        foreach (var m in ordered)
        {
            truth[m.Id] = m.Label;
        }
        var start = Floor(ordered[0].Time);
        var end = Floor(ordered[^1].Time + options.LabelDelay) + Step + Step;
        var steps = (int)Math.Ceiling((end - start) / Step);
        var lastReview = Floor(ordered[^1].Time) - options.ReviewersAway;
        var pause = options.Budget / steps;
        await using var client = new OverlapClient(
            new OverlapClientOptions
            {
                Endpoint = options.Server,
                ApiKey = options.IngestKey,
                FlushInterval = TimeSpan.FromMilliseconds(200),
            }
        );
        using var reviewers = new ReviewerPanel(options, truth);
        // One guard per model version, as a mail server would hold one per model it serves; each logs the email's own
        // arrival time (the replay's) and times the guard and the scoring together as the prediction's latency.
        var arrival = new ArrivalTime();
        var guards = new Dictionary<string, OverlapGuard>(StringComparer.Ordinal);
        var guarded = new List<GuardedMail>(ordered.Count);
        var (sent, labelled, reviewed) = (0, 0, 0);
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = start + (step * Step);
            while (sent < ordered.Count && ordered[sent].Time < now)
            {
                var m = ordered[sent++];
                var mail = options.MailServer;
                var version = mail is null
                    ? options.ModelVersion
                    : await mail.VersionAsync(m, cancellationToken).ConfigureAwait(false);
                if (!guards.TryGetValue(version, out var guard))
                {
                    guard = new OverlapGuard(
                        options.Contract,
                        client,
                        new OverlapGuardOptions { ModelVersion = version, Time = arrival }
                    );
                    guards[version] = guard;
                }
                arrival.Now = m.Time;
                var decision = guard.Decide(Inputs(m), _ => mail?.Score(m, version) ?? m.Score, m.Id);
                guarded.Add(new GuardedMail(m.Id, m.Time, version, decision.Score, decision.Route));
            }
            while (labelled < labels.Count && labels[labelled].Time + options.LabelDelay < now)
            {
                var m = labels[labelled++];
                client.LogOutcome(
                    new OutcomeEvent
                    {
                        Id = $"label-{m.Id}",
                        PredictionId = m.Id,
                        Label = m.Label,
                        Time = m.Time + options.LabelDelay,
                    }
                );
            }
            // The events of the hour are in the server before its clock moves past them.
            await client.FlushAsync(cancellationToken).ConfigureAwait(false);
            options.Clock.SetUtcNow(now);
            if (now.Hour == 17 && now <= lastReview)
            {
                // The reviewers' working day ends at five; they are away for the last days, whose items wait for the person trying the demo.
                reviewed += await reviewers.WorkAsync(options.ReviewsPerDay, cancellationToken).ConfigureAwait(false);
            }
            if (options.AfterHour is { } afterHour)
            {
                await afterHour(now, cancellationToken).ConfigureAwait(false);
            }
            progress?.Report((double)step / steps);
            var behind = (pause * step) - clock.Elapsed;
            if (behind > TimeSpan.Zero)
            {
                await Task.Delay(behind, cancellationToken).ConfigureAwait(false);
            }
        }
        return new ReplayResult(sent, labelled, reviewed, start, end) { Guarded = guarded };
    }

    /// <summary>
    /// What the guard checks and logs as the email's inputs: the watched inputs and the attributes (the segments) in one
    /// set, so the contract's expectations on the sender's kind of domain apply; the server reads a segment from a
    /// prediction's attributes, else from its inputs.
    /// </summary>
    internal static Dictionary<string, object?> Inputs(ReplayMail mail)
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var json in (string[])[mail.InputsJson, mail.AttributesJson])
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                inputs[property.Name] = property.Value.Clone();
            }
        }
        return inputs;
    }

    /// <summary>The replay's clock for the guards: the arrival time of the email being decided, and real elapsed time for latency.</summary>
    private sealed class ArrivalTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static DateTimeOffset Floor(DateTimeOffset t) =>
        new(t.UtcDateTime.Date.AddHours(t.UtcDateTime.Hour), TimeSpan.Zero);

    /// <summary>A number in [0, 1) fixed by the id and a purpose, so the same emails are labelled and slipped on every run.</summary>
    internal static double Picked(string id, string purpose) => Overlap.Demo.Data.SpamDemoData.Unit($"{purpose}:{id}");

    /// <summary>Two scripted reviewers working the queue over the API, deciding from the true label with a small slip rate.</summary>
    private sealed class ReviewerPanel : IDisposable
    {
        private readonly ReplayOptions _options;
        private readonly IReadOnlyDictionary<string, string> _truth;
        private readonly HttpClient[] _reviewers;

        public ReviewerPanel(ReplayOptions options, IReadOnlyDictionary<string, string> truth)
        {
            _options = options;
            _truth = truth;
            _reviewers =
            [
                .. options.ReviewerKeys.Select(key =>
                {
                    var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(60) };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    return http;
                }),
            ];
        }

        /// <summary>Decides up to <paramref name="count"/> items: second opinions and escalations first, then the oldest pending.</summary>
        public async Task<int> WorkAsync(int count, CancellationToken cancellationToken)
        {
            var done = 0;
            foreach (var status in (string[])["escalated", "second", "pending"])
            {
                // More than the day's share is listed: an item this panel may not decide (all three decided it) is passed over.
                using var queue = JsonDocument.Parse(
                    await _reviewers[0]
                        .GetStringAsync(
                            $"/v1/features/{_options.Feature}/review?status={status}&limit={count * 4}",
                            cancellationToken
                        )
                        .ConfigureAwait(false)
                );
                foreach (var item in queue.RootElement.GetProperty("items").EnumerateArray())
                {
                    if (done >= count)
                    {
                        return done;
                    }
                    var id = item.GetProperty("prediction_id").GetString()!;
                    // Whoever has not decided it yet takes it: the first reviewer, else the second, else the third.
                    foreach (var (reviewer, who) in _reviewers.Select((r, i) => (r, i)))
                    {
                        if (await DecideAsync(reviewer, who, id, cancellationToken).ConfigureAwait(false))
                        {
                            done++;
                            break;
                        }
                    }
                }
            }
            return done;
        }

        private async Task<bool> DecideAsync(
            HttpClient reviewer,
            int who,
            string id,
            CancellationToken cancellationToken
        )
        {
            if (!_truth.TryGetValue(id, out var label))
            {
                return false;
            }
            using var claim = await reviewer
                .PostAsync(
                    $"/v1/features/{_options.Feature}/review/{Uri.EscapeDataString(id)}/claim",
                    null,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (!claim.IsSuccessStatusCode)
            {
                return false;
            }
            if (Picked(id, $"slip-{who}") < _options.ReviewerSlip)
            {
                label = label == "spam" ? "ham" : "spam";
            }
            using var decision = await reviewer
                .PostAsJsonAsync(
                    $"/v1/features/{_options.Feature}/review/{Uri.EscapeDataString(id)}/decision",
                    new Dictionary<string, string> { ["decision"] = "correct", ["label"] = label },
                    cancellationToken
                )
                .ConfigureAwait(false);
            return decision.IsSuccessStatusCode;
        }

        public void Dispose()
        {
            foreach (var r in _reviewers)
            {
                r.Dispose();
            }
        }
    }
}
