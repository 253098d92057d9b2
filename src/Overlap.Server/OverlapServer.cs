using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;
using Overlap.Server.Alerts;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Dashboard;
using Overlap.Server.Evaluations;
using Overlap.Server.Experiments;
using Overlap.Server.Ingest;
using Overlap.Server.Judging;
using Overlap.Server.Monitoring;
using Overlap.Server.Otlp;
using Overlap.Server.Privacy;
using Overlap.Server.Review;
using Overlap.Storage;

namespace Overlap.Server;

/// <summary>Builds the server: the store, auth, the ingest queue and the endpoints, wired in one place.</summary>
public static class OverlapServer
{
    /// <summary>Opens the store in <see cref="ServerOptions.DataFolder"/> and builds the app (not started).</summary>
    public static async Task<WebApplication> BuildAsync(
        ServerOptions options,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Postgres is null != options.ClickHouse is null)
        {
            // Each store alone serves its half (the conformance tests open them so); a server needs both halves.
            throw new ArgumentException(
                "the server backend needs both a PostgreSQL connection string (state) and a ClickHouse address (events)",
                nameof(options)
            );
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A failed start (a port in use) is reported by the caller in one line, not logged with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // The dashboard's cookie keys sit in the data folder beside the store, as protected as the data itself; the
        // warning that they are not encrypted again at rest would be logged on every first start and says nothing new.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.AddSingleton(options);
        builder.Services.AddOverlapStorage(options.Storage);
        builder.Services.AddSingleton<ReviewQueue>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<IRubricGradeSource, StoredRubricGrades>();
        builder.Services.AddSingleton<JudgeEnvironment>();
        builder.Services.AddSingleton<ProductionJudge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProductionJudge>());
        builder.Services.AddSingleton<Evaluations.EvaluationRuns>();
        builder.Services.AddSingleton<ContractRegistry>();
        if (options.SharedStore)
        {
            builder.Services.AddHostedService<ContractRefresher>();
        }
        builder.Services.AddSingleton<ContractSaver>();
        builder.Services.AddSingleton<KeyCache>();
        // Registered before the schedulers and the loader, so it stops after them: its pieces of work end before theirs.
        builder.Services.AddSingleton<FigureRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FigureRefresher>());
        builder.Services.AddSingleton<WindowCache>();
        builder.Services.AddSingleton<RangeCache>();
        builder.Services.AddSingleton<FeatureMonitor>();
        builder.Services.AddSingleton<ExperimentReader>();
        builder.Services.AddSingleton<Monitoring.Usage.UsageReader>();
        // Generative windows: grades through one seam (StoredRubricGrades, registered above); the MiniLM embedder
        // for similar_to checks loads its model on first use, so a server without such checks never loads it.
        builder.Services.AddSingleton<Overlap.Core.Text.ITextEmbedder, Overlap.Embeddings.MiniLmEmbedder>();
        builder.Services.AddSingleton<GenerativeWindows>();
        builder.Services.AddSingleton<AlertService>();
        builder.Services.AddSingleton<WebhookAddressPolicy>();
        builder.Services.AddSingleton<WebhookDelivery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDelivery>());
        builder.Services.AddHostedService<AlertScheduler>();
        builder.Services.AddHostedService<Experiments.ExperimentWatcher>();
        builder.Services.AddHostedService<EventMaintenanceService>();
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddSingleton<ReviewScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReviewScheduler>());
        // Opened when the loader first needs it, after the store (which makes the data folder, or says why it cannot).
        builder.Services.AddSingleton(_ => EventLog.Open(Path.Combine(options.DataFolder, "log")));
        // The loader is registered before the queue, so it stops after it and loads what the queue acknowledged last.
        builder.Services.AddSingleton<LogLoader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LogLoader>());
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<IngestCheck>();
        builder.Services.AddSingleton(sp =>
            Privacy.PrivacyKeys.Load(
                options,
                sp.GetService<IPrivacyKeyStore>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Overlap.Privacy")
            )
        );
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestQueue>());
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails();
        // A value that does not bind throws, so Problems.UseBindingProblems answers it naming the parameter (not an empty 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        DashboardAuth.Add(builder.Services, options);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<FeaturePage>();
        builder.Services.AddScoped<Experiments.ExperimentViews>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthorization(o =>
        {
            Policies.Add(o);
            // Whatever no endpoint names (an unknown path too) needs a key.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        builder.Services.AddOpenApi();

        options.Services?.Invoke(builder.Services);
        var app = builder.Build();
        try
        {
            // The store opens here (a store in use fails now, before anything starts), and the features' contracts load.
            await app
                .Services.GetRequiredService<ContractRegistry>()
                .LoadAsync(cancellationToken)
                .ConfigureAwait(false);
            // Review decisions whose outcome a stop cut off are recorded now, so no decision is lost.
            if (
                await app
                    .Services.GetRequiredService<IReviewStore>()
                    .UnrecordedDecisionsAsync(cancellationToken)
                    .ConfigureAwait(false) is
                { Count: > 0 } unrecorded
            )
            {
                await ReviewQueue
                    .RecordAsync(app.Services.GetRequiredService<IEventSink>(), unrecorded, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        app.UseExceptionHandler(error =>
            error.Run(context =>
            {
                if (context.Features.Get<IExceptionHandlerFeature>()?.Error is StoreUnavailableException down)
                {
                    // PostgreSQL or ClickHouse cannot be reached, or the embedded store has no memory for the request
                    // now: nothing the client sent is wrong, so it may retry.
                    context.Response.Headers.RetryAfter = "5";
                    return Problems.Write(
                        context,
                        StatusCodes.Status503ServiceUnavailable,
                        down.Busy ? "The store is busy" : "The store cannot be reached",
                        $"{char.ToUpperInvariant(down.Message[0])}{down.Message[1..]}. "
                            + (
                                down.Busy
                                    ? "Nothing in this request was applied."
                                    : "Retry in a few seconds; events this server acknowledged are kept in its ingest log and loaded once the store is back."
                            )
                    );
                }
                return Problems.Write(
                    context,
                    StatusCodes.Status500InternalServerError,
                    "Something went wrong on the server",
                    "The server logged what happened; nothing in this request was half-applied. Retry, and report it if it keeps happening."
                );
            })
        );
        app.UseStatusCodePages();
        app.UseBindingProblems();
        app.UseAuthentication();
        app.UseMiddleware<Audit.AuditMiddleware>();
        app.UseAuthorization();
        if (options.SharedStore)
        {
            // A feature a request names may have been given its contract through another instance a moment ago.
            var contracts = app.Services.GetRequiredService<ContractRegistry>();
            app.Use(
                async (context, next) =>
                {
                    if ((context.GetRouteValue("feature") ?? context.GetRouteValue("name")) is string feature)
                    {
                        await contracts.KnowAsync(feature, context.RequestAborted).ConfigureAwait(false);
                    }
                    await next(context).ConfigureAwait(false);
                }
            );
        }
        app.UseAntiforgery();
        app.MapHealth();
        app.MapContracts();
        app.MapEvents();
        app.MapOtlp();
        app.MapMonitoring();
        app.MapCalibration();
        app.MapRecalibrationPage();
        app.MapExport();
        Monitoring.Usage.UsageEndpoints.MapUsage(app);
        app.MapSubjects();
        app.MapAlerts();
        app.MapReview();
        app.MapExperiments();
        app.MapJudge();
        app.MapEvaluations();
        app.MapEvaluationPages();
        app.MapAdmin();
        Audit.AuditEndpoints.MapAudit(app);
        app.MapOpenApi().RequireAuthorization(Policies.Read);
        app.MapDashboard();
        // The ingest queue drains into the log and the loader empties it before the host stops; the log and the store
        // close with the app's services, after every hosted service has stopped.
        return app;
    }

    /// <summary>
    /// The background service whose failure stopped the host, with its exception; null when the host was stopped (Ctrl-C,
    /// SIGTERM) rather than stopping itself. Background work catches and retries what it can, so this is a bug to report.
    /// </summary>
    public static (string Service, Exception Exception)? StoppedBy(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (
            var service in services
                .GetServices<Microsoft.Extensions.Hosting.IHostedService>()
                .OfType<Microsoft.Extensions.Hosting.BackgroundService>()
        )
        {
            if (service.ExecuteTask is { IsFaulted: true, Exception: { } failed })
            {
                return (service.GetType().Name, failed.InnerException ?? failed);
            }
        }
        return null;
    }

    /// <summary>
    /// Creates an API key with <paramref name="role"/> on a built server and returns it (shown once; only its hash is
    /// stored), dated by the server's clock (<see cref="ServerOptions.Time"/>). This is how an application that hosts the
    /// server in its own process (the spam-filter sample) gets its first admin and ingest keys, as <c>overlap keys create</c>
    /// does from the command line; once the server runs, admins manage keys over <c>/v1/admin/keys</c>.
    /// </summary>
    public static Task<string> CreateKeyAsync(
        WebApplication app,
        KeyRole role,
        string name,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = app.Services.GetRequiredService<ServerOptions>().Time.GetUtcNow();
        return ApiKeys.CreateAsync(app.Services.GetRequiredService<IUserStore>(), role, name, now, cancellationToken);
    }

    /// <summary>The addresses the started app listens on (the real port when port 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }
}
