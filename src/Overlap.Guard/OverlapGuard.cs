using System.Globalization;
using Overlap.Client;
using Overlap.Core.Contracts;
using Overlap.Core.Workflow;
using Overlap.Events;

namespace Overlap.Guard;

/// <summary>
/// A contract's workflow in the call path of an application: <see cref="Decide(IReadOnlyDictionary{string, object?}, double, string?)"/>
/// for a scored (binary) feature checks the input, abstains inside the uncertain band and decides by the threshold;
/// <c>UseOverlapGuard()</c> guards a chat client with the same contract. Every call is logged as one prediction with
/// its <see cref="WorkflowTrace"/>. Nothing the guard does throws into the caller: a guard that fails itself fails
/// open or closed as the contract's <c>on_guard_error</c> says. Thread-safe; create one per contract and share it.
/// </summary>
public sealed class OverlapGuard
{
    private readonly IOverlapClient _client;
    private readonly OverlapGuardOptions _options;

    /// <summary>Guards <paramref name="contract"/>'s feature, logging through <paramref name="client"/>.</summary>
    /// <exception cref="ArgumentException">A JSON schema the workflow names is not in <see cref="OverlapGuardOptions.Schemas"/>.</exception>
    /// <exception cref="ContractException">A schema is not a JSON Schema.</exception>
    public OverlapGuard(Contract contract, IOverlapClient client, OverlapGuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new OverlapGuardOptions();
        _client = client;
        Engine = WorkflowGuard.Create(contract, _options.Schemas.AsReadOnly());
    }

    /// <summary>Guards the contract in <paramref name="contractText"/> (YAML or JSON).</summary>
    /// <exception cref="ContractException">The contract is not valid.</exception>
    public static OverlapGuard Create(
        string contractText,
        IOverlapClient client,
        OverlapGuardOptions? options = null
    ) => new(ContractParser.Parse(contractText), client, options);

    /// <summary>Guards the contract in the file <paramref name="path"/>, reading the JSON schemas its workflow names beside it.</summary>
    /// <exception cref="ContractException">The contract is not valid.</exception>
    /// <exception cref="IOException">The contract or a schema cannot be read.</exception>
    public static OverlapGuard FromFile(string path, IOverlapClient client, OverlapGuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new OverlapGuardOptions();
        var contract = ContractParser.Parse(File.ReadAllText(path), Path.GetFileName(path));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var schema in WorkflowGuard.SchemaPaths(contract))
        {
            if (!options.Schemas.ContainsKey(schema))
            {
                options.Schemas[schema] = File.ReadAllText(Path.Combine(folder, schema));
            }
        }
        return new OverlapGuard(contract, client, options);
    }

    /// <summary>The compiled workflow: the checks and routes, usable without logging.</summary>
    public WorkflowGuard Engine { get; }

    /// <summary>The contract the guard enforces.</summary>
    public Contract Contract => Engine.Contract;

    internal IOverlapClient Client => _client;

    /// <summary>
    /// Decides a call the model already scored: the input expectations first (a failing input takes the contract's
    /// route and its score is not used), then the abstain band, then the threshold. Logs one prediction.
    /// </summary>
    /// <param name="inputs">The model's inputs by name: text, numbers, booleans, JSON elements or null.</param>
    /// <param name="score">The model's score (the probability of the positive label).</param>
    /// <param name="id">The prediction's id; a new one when null.</param>
    public GuardDecision Decide(IReadOnlyDictionary<string, object?> inputs, double score, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(inputs, _ => score, id);
    }

    /// <summary>
    /// Decides a call, asking <paramref name="score"/> for the model's score only when the input meets the contract's
    /// expectations: an input the contract refuses is never scored. An exception from <paramref name="score"/> is the
    /// model's, not the guard's: the call is logged with it and it is rethrown.
    /// </summary>
    public GuardDecision Decide(
        IReadOnlyDictionary<string, object?> inputs,
        Func<IReadOnlyDictionary<string, object?>, double> score,
        string? id = null
    )
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(score);
        return Run(inputs, score, id);
    }

    private GuardDecision Run(
        IReadOnlyDictionary<string, object?> inputs,
        Func<IReadOnlyDictionary<string, object?>, double> scorer,
        string? id
    )
    {
        var started = _options.Time.GetTimestamp();
        var time = _options.Time.GetUtcNow();
        id ??= Guid.NewGuid().ToString("N");
        GuardDecision? decision;
        string? fault = null;
        try
        {
            var failures = Engine.CheckInput(inputs);
            var next = Engine.AfterInput(failures);
            decision = next == GuardNext.Use ? null : Routed(next, failures, null, id, 0, null);
        }
#pragma warning disable CA1031 // A guard that fails never throws into the caller: the contract says where the call goes.
        catch (Exception e)
#pragma warning restore CA1031
        {
            fault = GuardFault.Reason(e, Engine.Policy.FailClosed);
            decision = Faulted(fault, null, id);
        }
        if (decision is null)
        {
            double score;
            try
            {
                score = scorer(inputs);
            }
            catch (Exception e)
            {
                Send(Event(id, time, started, inputs, null) with { Error = e.GetType().Name });
                throw;
            }
            decision = Guarded(
                () =>
                    !double.IsFinite(score)
                        ? Faulted(
                            string.Create(CultureInfo.InvariantCulture, $"the model's score is {score}, not a number"),
                            score,
                            id
                        )
                    : Engine.AfterScore(score) == GuardNext.Abstain ? Routed(GuardNext.Abstain, [], score, id, 1, fault)
                    : Decided(score, id, fault),
                score,
                id
            )!;
        }
        Send(Event(id, time, started, inputs, decision));
        return decision;
    }

    /// <summary>Runs a step of the guard; a step that throws takes the contract's on_guard_error route instead.</summary>
    private GuardDecision? Guarded(Func<GuardDecision?> step, double? score, string id)
    {
        try
        {
            return step();
        }
#pragma warning disable CA1031 // A guard that fails never throws into the caller: the contract says where the call goes.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Faulted(GuardFault.Reason(e, Engine.Policy.FailClosed), score, id);
        }
    }

    private double Threshold => _options.Threshold ?? Contract.Threshold;

    private GuardDecision Decided(double score, string id, string? reason)
    {
        var positive = score >= Threshold;
        return new GuardDecision
        {
            Outcome = positive ? GuardOutcome.Positive : GuardOutcome.Negative,
            Label = positive ? Contract.Labels.Positive : Contract.Labels.Negative,
            Score = score,
            Trace = new WorkflowTrace { Route = WorkflowRoutes.Direct, Reason = reason },
            PredictionId = id,
        };
    }

    private GuardDecision Routed(
        GuardNext next,
        IReadOnlyList<GuardFailure> failures,
        double? score,
        string id,
        int attempts,
        string? reason
    )
    {
        var policy = Engine.Policy;
        var (outcome, route) = next switch
        {
            GuardNext.Reject => (GuardOutcome.Reject, WorkflowRoutes.Reject),
            GuardNext.Fallback => (GuardOutcome.Fallback, WorkflowRoutes.Fallback),
            GuardNext.Abstain => (GuardOutcome.Abstain, WorkflowRoutes.Abstain),
            _ => (GuardOutcome.Escalate, WorkflowRoutes.Escalate),
        };
        reason ??= next switch
        {
            GuardNext.Abstain => $"the score is in the uncertain band ({policy.Abstain!.When}); a person decides",
            GuardNext.Escalate => Engine.EscalationReason(failures),
            _ => WorkflowGuard.Messages(failures),
        };
        var names = new string[failures.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = failures[i].Name;
        }
        return new GuardDecision
        {
            Outcome = outcome,
            Score = score,
            Trace = new WorkflowTrace
            {
                Route = route,
                Attempts = attempts,
                FailedChecks = names,
                Reason = reason,
            },
            Failures = failures,
            Fallback = outcome == GuardOutcome.Fallback ? policy.Fallback : null,
            Priority = outcome == GuardOutcome.Escalate ? policy.Escalate.Priority : null,
            PredictionId = id,
        };
    }

    /// <summary>
    /// The decision when the guard failed: open decides by the threshold, or (before scoring) returns null so the
    /// model scores the input unguarded; closed takes the fallback, abstain or escalate route. A score that is not a
    /// number cannot be decided on either way: it escalates.
    /// </summary>
    private GuardDecision? Faulted(string reason, double? score, string id)
    {
        var next = Engine.AfterGuardError(scored: true);
        return (next, score) switch
        {
            (GuardNext.Use, null) => null,
            (GuardNext.Use, { } s) when double.IsFinite(s) => Decided(s, id, reason),
            (GuardNext.Use, _) => Routed(GuardNext.Escalate, [], score, id, 1, reason),
            _ => Routed(next, [], score, id, score is null ? 0 : 1, reason),
        };
    }

    private PredictionEvent Event(
        string id,
        DateTimeOffset time,
        long started,
        IReadOnlyDictionary<string, object?> inputs,
        GuardDecision? decision
    ) =>
        new()
        {
            Id = id,
            Time = time,
            Feature = Contract.Feature,
            ModelVersion = _options.ModelVersion,
            // A refused input was not scored: no score joins the feature's figures.
            Score = decision?.Outcome == GuardOutcome.Reject ? null : decision?.Score,
            Prediction = decision?.Label,
            LatencyMs = _options.Time.GetElapsedTime(started).TotalMilliseconds,
            InputsJson = _options.LogInputs ? GuardInputs.Json(inputs) : null,
            Workflow = decision?.Trace,
        };

    /// <summary>Queues a prediction; logging never reaches the caller.</summary>
    private void Send(PredictionEvent prediction)
    {
        try
        {
            _client.LogPrediction(prediction);
        }
#pragma warning disable CA1031 // Logging never reaches the caller.
        catch (Exception) { }
#pragma warning restore CA1031
    }
}
