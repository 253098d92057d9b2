using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Overlap.Demo.Data;
using Overlap.Demo.Model;

namespace Overlap.Demo;

/// <summary>An experiment the demo ran and how it ended.</summary>
/// <param name="Name">The experiment.</param>
/// <param name="Control">The version in use.</param>
/// <param name="Treatment">The version tried.</param>
/// <param name="Started">When it started (on the server's clock).</param>
/// <param name="Decided">When the server decided, or null when it was still running at the end.</param>
/// <param name="Decision">The last decision: rollout, rollback, stop or running.</param>
/// <param name="Statement">The server's statement of it.</param>
/// <param name="Served">What the deployment tool served after the webhook, or null when nothing came.</param>
internal sealed record ExperimentFigures(
    string Name,
    string Control,
    string Treatment,
    DateTimeOffset Started,
    DateTimeOffset? Decided,
    string Decision,
    string Statement,
    string? Served
);

/// <summary>
/// The release manager of the demo, called after every replayed hour: at the planned time it trains v2 on the labels
/// production has gathered and starts experiment <c>spam-v2</c> (v1 against v2, 50/50 by message id); each midnight
/// of an experiment it waits for the server's watcher to judge it, and once the decision is taken it waits for the webhook
/// that makes the deployment tool act, then writes <c>ended</c> into the contract. After v2 is rolled out it tries a
/// deliberately broken v3 the same way (<c>spam-v3</c>, v2 against v3).
/// </summary>
internal sealed class DemoReleases(
    HttpClient admin,
    DemoMailServer mail,
    DemoDeployTool deploy,
    DateTimeOffset v2From,
    Func<CancellationToken, Task<SpamModel>> trainV2,
    Func<SpamModel, SpamModel> breakV3
)
{
    /// <summary>
    /// The experiment v2 runs in: false positives must fall by 2 points, and answering may not get slower by more than
    /// 50 ms at the 95th percentile. Recall is no guardrail here: the last weeks of the corpus hold too few spam emails
    /// (26 in 1,048) for any live comparison of it to settle; the offline comparison covers it.
    /// </summary>
    public const string V2Experiment = """
          - name: spam-v2
            control: v1
            treatment: v2
            split: [50, 50]
            unit: prediction                  # each email on its own, by its message id
            primary:
              - { metric: false_positive_rate, min_effect: 0.02 }   # 2 fewer legitimate emails in 100 moved away
            guardrails:
              - { metric: latency_p95_ms, margin: 50 }              # scoring one email, timed by the mail server
            max_duration: 21d
        """;

    /// <summary>The experiment v3 runs in: it is meant to catch more spam, and may not flag more legitimate mail.</summary>
    public const string V3Experiment = """
          - name: spam-v3
            control: v2
            treatment: v3
            split: [50, 50]
            unit: prediction
            primary:
              - { metric: recall, min_effect: 0.05 }
            guardrails:
              - { metric: false_positive_rate, margin: 0.01 }       # at most 1 more legitimate email in 100 moved away
              - { metric: latency_p95_ms, margin: 50 }
            max_duration: 14d
        """;

    /// <summary>How often the demo's server judges the experiments (at midnight on its clock).</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromDays(1);

    private readonly List<ExperimentFigures> _done = [];
    private readonly List<string> _contract = [];
    private (string Name, string Yaml, string Control, string Treatment, DateTimeOffset Started)? _running;
    private bool _v2Tried;

    /// <summary>The experiments so far, the one still running last.</summary>
    public IReadOnlyList<ExperimentFigures> Experiments { get; private set; } = [];

    /// <summary>v2, once trained.</summary>
    public SpamModel? V2 { get; private set; }

    /// <summary>The hour's turn.</summary>
    public async Task AfterHourAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_v2Tried && now >= v2From)
        {
            _v2Tried = true;
            V2 = await trainV2(cancellationToken).ConfigureAwait(false);
            mail.Add(V2);
            await StartAsync("spam-v2", V2Experiment, "v1", "v2", now, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_running is not { } running || now.UtcTicks % CheckInterval.Ticks != 0)
        {
            return;
        }
        if (!await DecidedAsync(running.Name, now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var (decision, statement) = await DecisionAsync(running.Name, cancellationToken).ConfigureAwait(false);
        var action = await deploy.WaitForAsync(running.Name, decision, cancellationToken).ConfigureAwait(false);
        _done.Add(
            new ExperimentFigures(
                running.Name,
                running.Control,
                running.Treatment,
                running.Started,
                now,
                decision,
                statement,
                action.Served
            )
        );
        _contract[^1] = running.Yaml.TrimEnd() + "\n" + $"    ended: {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n";
        _running = null;
        Experiments = [.. _done];
        if (running.Name == "spam-v2" && decision == "rollout" && V2 is not null)
        {
            var v3 = breakV3(V2);
            mail.Add(v3);
            await StartAsync("spam-v3", V3Experiment, "v2", "v3", now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PutContractAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartAsync(
        string name,
        string yaml,
        string control,
        string treatment,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        _contract.Add(yaml);
        await PutContractAsync(cancellationToken).ConfigureAwait(false);
        mail.Try(name);
        _running = (name, yaml, control, treatment, now);
        Experiments =
        [
            .. _done,
            new ExperimentFigures(name, control, treatment, now, null, "running", "It has just started.", null),
        ];
    }

    /// <summary>The demo's contract with the deployment tool's webhook and the experiments so far.</summary>
    public static string ContractWith(Uri hook, IEnumerable<string> experiments)
    {
        var contract = DemoRun.ContractYaml.Replace(
            "\nmonitoring:\n",
            $"\nmonitoring:\n  alerts: [{{ webhook: \"{hook}\" }}]   # the deployment tool\n",
            StringComparison.Ordinal
        );
        return contract.TrimEnd() + "\nexperiments:\n" + string.Concat(experiments.Select(e => e.TrimEnd() + "\n"));
    }

    private async Task PutContractAsync(CancellationToken cancellationToken)
    {
        using var response = await admin
            .PutAsync(
                $"/v1/features/{SpamEvents.Feature}/contract",
                new StringContent(ContractWith(deploy.Hook, _contract), Encoding.UTF8, "application/yaml"),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"the demo's server refused the contract with the experiments: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}"
            );
        }
    }

    /// <summary>
    /// The experiment still running when the replay ended, with the server's last word on it (the experiments decided
    /// before are in <see cref="Experiments"/> already).
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_running is { } running)
        {
            var (decision, statement) = await DecisionAsync(running.Name, cancellationToken).ConfigureAwait(false);
            Experiments =
            [
                .. _done,
                new ExperimentFigures(
                    running.Name,
                    running.Control,
                    running.Treatment,
                    running.Started,
                    null,
                    decision,
                    statement,
                    null
                ),
            ];
        }
    }

    /// <summary>
    /// Waits until the server's watcher has judged <paramref name="experiment"/> at <paramref name="now"/> (its alert
    /// check updated), so the decision rests on exactly the mail of the hours replayed; true when it decided
    /// (the check is no longer a warning: rollout is ok, rollback and stop an alert).
    /// </summary>
    private async Task<bool> DecidedAsync(string experiment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var check = $"experiment {experiment}";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var alerts = JsonDocument.Parse(
                await admin
                    .GetStringAsync($"/v1/features/{SpamEvents.Feature}/alerts", cancellationToken)
                    .ConfigureAwait(false)
            );
            foreach (var state in alerts.RootElement.GetProperty("states").EnumerateArray())
            {
                if (
                    state.GetProperty("check").GetString() == check
                    && state.GetProperty("updated_at").GetDateTimeOffset() >= now
                )
                {
                    return state.GetProperty("state").GetString() != "warning";
                }
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"the server's watcher did not judge experiment {experiment} at {now:yyyy-MM-dd HH:mm} within 60 s"
                    )
                );
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(string Decision, string Statement)> DecisionAsync(
        string experiment,
        CancellationToken cancellationToken
    )
    {
        var decision = await admin
            .GetFromJsonAsync<JsonElement>($"/v1/experiments/{experiment}/decision", cancellationToken)
            .ConfigureAwait(false);
        return (decision.GetProperty("decision").GetString()!, decision.GetProperty("statement").GetString()!);
    }
}
