using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Overlap.Core.Generative;

namespace Overlap.Judges;

/// <summary>
/// Turns the contract's <c>judges.model</c> into a chat client for any OpenAI-compatible endpoint (OpenAI, Azure
/// OpenAI's <c>/openai/v1</c> endpoint, Ollama's <c>/v1</c>, vLLM …) through Microsoft.Extensions.AI.OpenAI.
/// </summary>
public static class JudgeClients
{
    /// <summary>
    /// Reads the policy's values, each either written out or <c>env:NAME</c> (read from the environment; a variable
    /// that is unset or empty is refused, naming it).
    /// </summary>
    /// <param name="policy">The contract's <c>judges.model</c>.</param>
    /// <param name="environment">Reads an environment variable; the process environment when null.</param>
    /// <exception cref="JudgeSetupException">A variable is unset, or the endpoint is not an http(s) address.</exception>
    public static JudgeEndpoint Resolve(ModelJudgePolicy policy, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        environment ??= Environment.GetEnvironmentVariable;
        var address = Read("judges.model.endpoint", policy.Endpoint, environment)!;
        var model = Read("judges.model.model", policy.Model, environment)!;
        var key = policy.Key is null ? null : Read("judges.model.key", policy.Key, environment);
        if (
            !Uri.TryCreate(address, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        )
        {
            var from = policy.Endpoint.StartsWith("env:", StringComparison.Ordinal)
                ? $" (from {policy.Endpoint[4..]})"
                : "";
            throw new JudgeSetupException(
                $"judges.model.endpoint{from} is not an http(s) address: \"{address}\". Write the endpoint's base "
                    + "address, for example https://api.openai.com/v1 or http://localhost:11434/v1 for Ollama."
            );
        }
        return new JudgeEndpoint(uri, model, key);
    }

    /// <summary>
    /// A chat client for the endpoint. The OpenAI library's own retries are turned off: <see cref="ModelJudge"/>
    /// retries transient failures itself, with its back-off and budget in view.
    /// </summary>
    /// <param name="endpoint">The resolved endpoint.</param>
    /// <param name="timeout">How long one request may take (default 100 s).</param>
    public static IChatClient CreateChatClient(JudgeEndpoint endpoint, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint.Address,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = timeout ?? TimeSpan.FromSeconds(100),
        };
        // A local endpoint (Ollama) takes no key, but the library needs one to build its client; it is never checked.
        var credential = new ApiKeyCredential(endpoint.Key ?? "no-key");
        return new ChatClient(endpoint.Model, credential, options).AsIChatClient();
    }

    /// <summary>
    /// A judge for the contract's <c>judges.model</c>: its endpoint resolved, its client made, its model and
    /// <c>budget_per_day</c> set on a copy of <paramref name="options"/> (or the defaults).
    /// </summary>
    /// <exception cref="JudgeSetupException">The policy cannot be resolved, or a budget has no price.</exception>
    public static ModelJudge CreateJudge(
        ModelJudgePolicy policy,
        ModelJudgeOptions? options = null,
        Func<string, string?>? environment = null
    )
    {
        var endpoint = Resolve(policy, environment);
        var settings = (options ?? new ModelJudgeOptions { Model = endpoint.Model }) with
        {
            Model = endpoint.Model,
            BudgetPerDay = policy.BudgetPerDay,
        };
        return new ModelJudge(CreateChatClient(endpoint), settings);
    }

    private static string? Read(string key, string value, Func<string, string?> environment)
    {
        if (!value.StartsWith("env:", StringComparison.Ordinal))
        {
            return value;
        }
        var name = value[4..];
        var read = environment(name);
        if (string.IsNullOrWhiteSpace(read))
        {
            throw new JudgeSetupException(
                $"{key} reads the environment variable {name}, which is not set: set {name} before running, or "
                    + $"write the value in the contract instead of env:{name}."
            );
        }
        return read.Trim();
    }
}
