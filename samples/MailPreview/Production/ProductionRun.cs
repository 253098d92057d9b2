using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Core.Text;
using Overlap.Demo.Corpus;
using Overlap.Events;
using Overlap.Guard;
using Overlap.Server;
using Overlap.Storage;

namespace Overlap.Samples.MailPreview.Production;

/// <summary>Where the production half works and how much mail it replays.</summary>
internal sealed record ProductionOptions
{
    /// <summary>The server's data folder (the embedded store).</summary>
    public required string DataFolder { get; init; }

    /// <summary>The address the server listens on; port 0 picks a free one.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>Where the server's summary and per-day figures are written.</summary>
    public required string ReportFolder { get; init; }

    /// <summary>The offline half's report (<c>eval.json</c>), stored on the server as an evaluation run; null for none.</summary>
    public string? OfflineReport { get; init; }

    /// <summary>How many of the newest review items the scripted reviewers leave for a person to grade.</summary>
    public int LeavePending { get; init; }

    /// <summary>How long to wait for a configured model judge to grade its sample.</summary>
    public TimeSpan JudgeWait { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// One replayed email: the prediction id Overlap logged, the email, the preview the inbox shows (version 2's, or the
/// first-line fallback's) and what the contract's guard did with the call.
/// </summary>
internal sealed record ReplayedPreview(string Id, SpamMessage Message, string Preview, WorkflowTrace Workflow)
{
    /// <summary>What the scripted reader did with the preview.</summary>
    public ReaderReaction Reaction { get; } = ScriptedReader.React(Message.Id, Preview, Message.Subject);
}

/// <summary>
/// The scenario after release: a real Overlap server on the embedded store, the contract registered, later mail
/// previewed by version 2 through a Microsoft.Extensions.AI pipeline guarded by the contract's workflow with
/// <c>UseOverlapGuard()</c> (a preview that fails a check is asked for again, then replaced by the first-line fallback;
/// each call logged over HTTP at its email's date with what the guard did), the scripted readers' feedback sent with the SDK's helpers, the scripted reviewers
/// grading the sampled outputs through the review API, and the findings read back from the server.
/// </summary>
internal static class ProductionRun
{
    /// <summary>The feature's name, as in the contract.</summary>
    public const string Feature = "mail-preview";

    /// <summary>The name the offline evaluation is stored under on the server.</summary>
    public const string OfflineRunName = "version 2 against version 1, before release";

    /// <summary>What the application tells the model; the previewer reads only the email.</summary>
    public const string Instructions = "Write a one-line preview of this email for the inbox list.";

    /// <summary>The fallback the contract's workflow names.</summary>
    public const string FirstLine = "first-line";

    /// <summary>The running server and what the production half did and found; the caller stops the server.</summary>
    public sealed record Result(
        WebApplication App,
        Uri Address,
        string AdminKey,
        IReadOnlyList<ReplayedPreview> Replayed,
        IReadOnlyList<ReviewerGrade> Reviews,
        Findings Findings
    );

    /// <summary>Runs the production half on <paramref name="mail"/> (in date order) and leaves the server running.</summary>
    public static async Task<Result> RunAsync(
        IReadOnlyList<SpamMessage> mail,
        ITextEmbedder embedder,
        ProductionOptions options,
        CancellationToken cancellationToken
    )
    {
        var from = mail[0].Date!.Value.UtcDateTime.Date;
        var to = mail[^1].Date!.Value.UtcDateTime.Date.AddDays(1);
        var app = await OverlapServer
            .BuildAsync(
                new ServerOptions
                {
                    DataFolder = options.DataFolder,
                    Urls = options.Urls,
                    Time = new ShiftedClock(new DateTimeOffset(to.AddHours(6), TimeSpan.Zero)),
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(OverlapServer.Addresses(app)[0]);
            var admin = await Key(app, KeyRole.Admin, "scenario admin", cancellationToken).ConfigureAwait(false);
            var ingest = await Key(app, KeyRole.Ingest, "mail app", cancellationToken).ConfigureAwait(false);
            var reviewers = new List<(string, string)>();
            foreach (var name in (string[])["reviewer ana", "reviewer ben"])
            {
                reviewers.Add((name, await Key(app, KeyRole.Reviewer, name, cancellationToken).ConfigureAwait(false)));
            }
            using var http = Http(address, admin);
            using (
                var put = await http.PutAsync(
                        $"/v1/features/{Feature}/contract",
                        new StringContent(OfflineRun.ContractYaml),
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            )
            {
                await ScenarioHttp
                    .EnsureAsync(put, "registering the contract", cancellationToken)
                    .ConfigureAwait(false);
            }
            if (options.OfflineReport is { } report)
            {
                using var content = new StringContent(
                    await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false),
                    System.Text.Encoding.UTF8,
                    "application/json"
                );
                using var upload = await http.PostAsync(
                        $"/v1/features/{Feature}/evaluations?name={Uri.EscapeDataString(OfflineRunName)}",
                        content,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                await ScenarioHttp
                    .EnsureAsync(upload, "storing the offline evaluation", cancellationToken)
                    .ConfigureAwait(false);
            }
            var replayed = await ReplayAsync(mail, embedder, address, ingest, cancellationToken).ConfigureAwait(false);
            var reviews = await ReviewPanel
                .GradeAsync(address, reviewers, options.LeavePending, cancellationToken)
                .ConfigureAwait(false);
            var findings = await Findings
                .ReadAsync(http, from, to, reviews, options.JudgeWait, options.ReportFolder, cancellationToken)
                .ConfigureAwait(false);
            return new Result(app, address, admin, replayed, reviews, findings);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An HTTP client for the server with <paramref name="key"/>.</summary>
    public static HttpClient Http(Uri address, string key)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static Task<string> Key(
        WebApplication app,
        KeyRole role,
        string name,
        CancellationToken cancellationToken
    ) => OverlapServer.CreateKeyAsync(app, role, name, cancellationToken);

    /// <summary>
    /// The mail application: each email previewed through the pipeline with <c>UseOverlapGuard()</c> at its date, its
    /// folder and subject sent as attributes (the segment, and what <c>on_topic</c> compares with), then the reader's
    /// feedback on the preview the inbox shows.
    /// </summary>
    private static async Task<List<ReplayedPreview>> ReplayAsync(
        IReadOnlyList<SpamMessage> mail,
        ITextEmbedder embedder,
        Uri address,
        string ingestKey,
        CancellationToken cancellationToken
    )
    {
        var clock = new ReplayClock();
        var overlap = new OverlapClient(
            new OverlapClientOptions
            {
                Endpoint = address,
                ApiKey = ingestKey,
                FlushInterval = TimeSpan.FromMilliseconds(200),
            }
        );
        await using (overlap.ConfigureAwait(false))
        {
            var previewer = new Previewer(embedder);
            // The guard replaces UseOverlap(): it logs each call once, with all its attempts and the route it took.
            var guard = new OverlapGuard(OfflineRun.Contract(), overlap, new OverlapGuardOptions { Time = clock });
            using var chat = new ChatClientBuilder(new PreviewChatClient(previewer, PreviewStrategy.Central))
                .UseOverlapGuard(guard, o =>
                {
                    o.Logging.PromptName = "preview";
                    o.Logging.PromptVersion = "2";
                    o.Logging.Time = clock;
                    o.AddFallback(FirstLine, c => FirstLineAnswer(previewer, c));
                })
                .Build();
            var replayed = new List<ReplayedPreview>(mail.Count);
            foreach (var m in mail)
            {
                clock.Now = m.Date!.Value;
                var options = new ChatOptions
                {
                    ConversationId = m.Id,
                    AdditionalProperties = new()
                    {
                        [OverlapChatKeys.SegmentPrefix + "folder"] = m.Group,
                        [OverlapChatKeys.SegmentPrefix + "subject"] = m.Subject,
                    },
                };
                var response = await chat.GetResponseAsync(
                        [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, m.Body)],
                        options,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                var preview = new ReplayedPreview(
                    response.GetOverlapPredictionId()!,
                    m,
                    response.Text,
                    response.GetOverlapWorkflow()!
                );
                replayed.Add(preview);
                SendFeedback(overlap, preview);
            }
            await overlap.FlushAsync(cancellationToken).ConfigureAwait(false);
            var stats = overlap.Stats;
            if (stats.Dropped + stats.Rejected > 0)
            {
                throw new InvalidOperationException(
                    $"the server did not take every event ({stats.Dropped} dropped, {stats.Rejected} refused)"
                );
            }
            return replayed;
        }
    }

    /// <summary>
    /// The contract's <c>first-line</c> fallback, a rule: the email's first sentence cut to the preview's length (what
    /// most mail clients show, and version 1 did). The call keeps the id the model's last answer gave it.
    /// </summary>
    public static ChatResponse FirstLineAnswer(Previewer previewer, GuardFallbackContext context)
    {
        var body = context.Messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, previewer.Preview(body, PreviewStrategy.Lead)))
        {
            ResponseId = context.LastAnswer?.ResponseId,
        };
    }

    /// <summary>The reader's reaction, two minutes after the email arrived.</summary>
    private static void SendFeedback(OverlapClient overlap, ReplayedPreview p)
    {
        var at = p.Message.Date!.Value.AddMinutes(2);
        switch (p.Reaction)
        {
            case ReaderReaction.Regenerated:
                overlap.Regenerated(p.Id, Feature, at);
                break;
            case ReaderReaction.ThumbsDown:
                overlap.ThumbsDown(p.Id, Feature, at);
                break;
            case ReaderReaction.ThumbsUp:
                overlap.ThumbsUp(p.Id, Feature, at);
                break;
            default:
                break;
        }
    }
}
