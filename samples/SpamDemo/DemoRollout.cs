using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Overlap.Client;
using Overlap.Demo.Corpus;
using Overlap.Demo.Model;
using Overlap.Server;

namespace Overlap.Demo;

/// <summary>
/// The mail server's models: it serves one model version to every email, or, while an experiment runs, the version
/// the .NET SDK assigns to the email's message id (<see cref="OverlapClient.AssignAsync"/>, the same rule as the
/// server's). Each email is scored on its own, inside the contract's guard, which sends the time the guard and the
/// scoring took as the prediction's latency.
/// </summary>
internal sealed class DemoMailServer(IReadOnlyDictionary<string, SpamMessage> messages, OverlapClient sdk) : IMailServer
{
    private readonly ConcurrentDictionary<string, SpamModel> _models = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private string _serving = "";
    private string? _experiment;

    /// <summary>Makes <paramref name="model"/> available to serve.</summary>
    public void Add(SpamModel model) => _models[model.Version] = model;

    /// <summary>Serves <paramref name="version"/> to every email from now on (an experiment ends).</summary>
    public void Serve(string version)
    {
        lock (_gate)
        {
            (_serving, _experiment) = (version, null);
        }
    }

    /// <summary>Serves each email the arm <paramref name="experiment"/> assigns it.</summary>
    public void Try(string experiment)
    {
        lock (_gate)
        {
            _experiment = experiment;
        }
    }

    /// <summary>The version served to every email, or the experiment assigning them.</summary>
    public (string Serving, string? Experiment) State
    {
        get
        {
            lock (_gate)
            {
                return (_serving, _experiment);
            }
        }
    }

    public async Task<string> VersionAsync(ReplayMail mail, CancellationToken cancellationToken)
    {
        var (version, experiment) = State;
        return experiment is null
            ? version
            : (await sdk.AssignAsync(experiment, mail.Id, cancellationToken).ConfigureAwait(false)).ModelVersion;
    }

    public double Score(ReplayMail mail, string version) => _models[version].Score(messages[mail.Id]);
}

/// <summary>What the deployment tool did on one webhook: the experiment's decision and the version it then served.</summary>
internal sealed record DeployAction(string Experiment, string Decision, string Served, string Text);

/// <summary>
/// The deployment tool: a web hook on loopback that the contract's <c>alerts</c> point at. On an experiment's
/// <c>rollout</c> it serves the treatment to every email; on <c>rollback</c> or <c>stop</c>, the control. Everything
/// else the server posts (drift, requirements) is acknowledged and left alone.
/// </summary>
internal sealed class DemoDeployTool : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<DeployAction> _actions;

    private DemoDeployTool(WebApplication app, Uri hook, ConcurrentQueue<DeployAction> actions)
    {
        _app = app;
        Hook = hook;
        _actions = actions;
    }

    /// <summary>Where the server posts.</summary>
    public Uri Hook { get; }

    /// <summary>What it did, in order.</summary>
    public IReadOnlyList<DeployAction> Actions => [.. _actions];

    public static async Task<DemoDeployTool> StartAsync(DemoMailServer mail, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var actions = new ConcurrentQueue<DeployAction>();
        app.MapPost("/deploy", async (HttpRequest request, CancellationToken token) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: token);
            if (
                body.RootElement.TryGetProperty("experiment", out var experiment)
                && experiment.GetProperty("decision").GetString() is { } decision and not "running"
            )
            {
                var served = experiment.GetProperty(decision == "rollout" ? "treatment" : "control").GetString()!;
                mail.Serve(served);
                actions.Enqueue(
                    new DeployAction(
                        experiment.GetProperty("name").GetString()!,
                        decision,
                        served,
                        body.RootElement.GetProperty("text").GetString() ?? ""
                    )
                );
            }
            return Results.NoContent();
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new DemoDeployTool(app, new Uri(new Uri(OverlapServer.Addresses(app)[0]), "/deploy"), actions);
    }

    /// <summary>Waits until the webhook has brought <paramref name="experiment"/>'s <paramref name="decision"/>, and returns what it did.</summary>
    public async Task<DeployAction> WaitForAsync(
        string experiment,
        string decision,
        CancellationToken cancellationToken
    )
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_actions.FirstOrDefault(a => a.Experiment == experiment && a.Decision == decision) is { } done)
            {
                return done;
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException(
                    $"the server judged experiment {experiment} '{decision}' but its webhook did not reach the deployment tool within 60 s"
                );
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
