using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Overlap.Events.Experiments;

namespace Overlap.Client;

/// <summary>Experiments: which arm a unit is in, computed here from the experiment's rule, as the server computes it.</summary>
public sealed partial class OverlapClient
{
    private readonly Dictionary<string, (ExperimentRule Rule, DateTimeOffset Fetched)> _rules = new(
        StringComparer.Ordinal
    );
    private readonly SemaphoreSlim _rulesGate = new(1, 1);

    /// <summary>
    /// The arm <paramref name="unit"/> (a prediction id, or the value of the experiment's unit attribute, such as a user
    /// id) is in: the same arm <c>GET /v1/experiments/{e}/assign</c> answers, computed here without a request per unit.
    /// Serve the request with <see cref="ExperimentArm.ModelVersion"/> and record its prediction with that
    /// <c>model_version</c>. The experiment's rule is asked for once and then every
    /// <see cref="OverlapClientOptions.ExperimentRefresh"/>; while the server cannot be reached, the last rule is used.
    /// </summary>
    /// <exception cref="OverlapExperimentException">
    /// No contract declares the experiment, the key may not read it, or the server cannot be reached and no rule was
    /// had before. Call <see cref="GetExperimentRuleAsync"/> at start-up to find out early.
    /// </exception>
    public async Task<ExperimentArm> AssignAsync(
        string experiment,
        string unit,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        var rule = await GetExperimentRuleAsync(experiment, cancellationToken).ConfigureAwait(false);
        return rule.Assign(unit);
    }

    /// <summary>The experiment's assignment rule (salt, split, versions), from the cache while it is fresh.</summary>
    /// <exception cref="OverlapExperimentException">As for <see cref="AssignAsync"/>.</exception>
    public async Task<ExperimentRule> GetExperimentRuleAsync(
        string experiment,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        var now = _options.Time.GetUtcNow();
        lock (_rules)
        {
            if (_rules.TryGetValue(experiment, out var known) && now - known.Fetched < _options.ExperimentRefresh)
            {
                return known.Rule;
            }
        }
        await _rulesGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_rules)
            {
                // Another caller may have fetched it while this one waited.
                if (_rules.TryGetValue(experiment, out var known) && now - known.Fetched < _options.ExperimentRefresh)
                {
                    return known.Rule;
                }
            }
            ExperimentRule rule;
            try
            {
                rule = await FetchRuleAsync(experiment, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                if (e is TaskCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                lock (_rules)
                {
                    if (_rules.TryGetValue(experiment, out var stale))
                    {
                        LogStaleRule(_logger, experiment, e.Message);
                        return stale.Rule;
                    }
                }
                throw new OverlapExperimentException(
                    $"could not get the rule of experiment '{experiment}' from {_options.Endpoint}: {e.Message}",
                    e
                );
            }
            lock (_rules)
            {
                _rules[experiment] = (rule, _options.Time.GetUtcNow());
            }
            return rule;
        }
        finally
        {
            _rulesGate.Release();
        }
    }

    private async Task<ExperimentRule> FetchRuleAsync(string experiment, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(_options.Endpoint!, $"v1/experiments/{Uri.EscapeDataString(experiment)}/rule")
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized)
        {
            var detail = await ProblemDetailAsync(response, timeout.Token).ConfigureAwait(false);
            throw new OverlapExperimentException(
                $"Overlap answered {(int)response.StatusCode} for experiment '{experiment}': {detail}"
            );
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the server answered {(int)response.StatusCode}");
        }
        return await response
            .Content.ReadFromJsonAsync(ClientJsonContext.Default.ExperimentRule, timeout.Token)
            .ConfigureAwait(false)
            ?? throw new JsonException("the rule was empty");
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken token)
    {
        try
        {
            using var document = await JsonDocument
                .ParseAsync(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false), default, token)
                .ConfigureAwait(false);
            return document.RootElement.TryGetProperty("detail", out var detail)
                ? detail.GetString() ?? "no detail"
                : "no detail";
        }
        catch (JsonException)
        {
            return response.StatusCode == HttpStatusCode.Unauthorized ? "the API key is not accepted" : "no detail";
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Overlap could not refresh the rule of experiment {Experiment} ({Reason}); the last one is used"
    )]
    private static partial void LogStaleRule(ILogger logger, string experiment, string reason);
}

/// <summary>An experiment's rule could not be had: the message says why and what to do.</summary>
public sealed class OverlapExperimentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OverlapExperimentException() { }

    /// <summary>Creates the exception with its message.</summary>
    public OverlapExperimentException(string message)
        : base(message) { }

    /// <summary>Creates the exception with its message and cause.</summary>
    public OverlapExperimentException(string message, Exception innerException)
        : base(message, innerException) { }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ExperimentRule))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
