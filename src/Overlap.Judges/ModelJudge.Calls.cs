using System.ClientModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using Overlap.Core.Generative;

namespace Overlap.Judges;

public sealed partial class ModelJudge
{
    /// <summary>One request, retried on transient failures; the response, or null with why.</summary>
    private async Task<(ChatResponse? Response, JudgeUsage Usage, string Failure)> CallAsync(
        List<ChatMessage> messages,
        RubricCriterion criterion,
        CancellationToken cancellationToken
    )
    {
        var options = new ChatOptions
        {
            ModelId = _options.Model,
            Temperature = 0,
            ResponseFormat = _options.UseJsonSchema
                ? ChatResponseFormat.ForJsonSchema(
                    JudgePrompt.Schema(criterion),
                    "rubric_grade",
                    "A grade on the criterion's scale and one sentence saying why."
                )
                : ChatResponseFormat.Json,
        };
        var usage = JudgeUsage.Zero;
        for (var attempt = 0; ; attempt++)
        {
            var started = _options.Time.GetTimestamp();
            Transient failure;
            try
            {
                var response = await _client
                    .GetResponseAsync(messages, options, cancellationToken)
                    .ConfigureAwait(false);
                var call = UsageOf(response.Usage, _options.Time.GetElapsedTime(started));
                _budget?.Add(call.Cost ?? 0);
                return (response, usage + call, "");
            }
            catch (Exception e)
                when (!cancellationToken.IsCancellationRequested
                    && e is ClientResultException or HttpRequestException or TaskCanceledException or TimeoutException
                )
            {
                usage += new JudgeUsage(0, 0, 0, _options.Time.GetElapsedTime(started), 1);
                // Classify throws for a refused key or an unknown model: every other call would fail the same way.
                if (Classify(e) is not { } found)
                {
                    return (null, usage, $"the endpoint refused the request ({Shorten(e.Message)})");
                }
                failure = found;
            }
            var tries = attempt + 1;
            if (attempt >= _options.TransientRetries)
            {
                return (null, usage, $"the endpoint failed {Times(tries)} ({failure.What})");
            }
            if (failure.RetryAfter is { } asked && asked > _options.MaxRetryAfter)
            {
                return (
                    null,
                    usage,
                    $"the endpoint failed ({failure.What}) and asked to wait {asked.TotalSeconds:0} s, longer than "
                        + $"the {_options.MaxRetryAfter.TotalSeconds:0} s allowed"
                );
            }
            var wait = failure.RetryAfter ?? _options.RetryDelay * Math.Pow(2, attempt);
            await Task.Delay(wait, _options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private JudgeUsage UsageOf(UsageDetails? usage, TimeSpan latency)
    {
        var (input, output) = (usage?.InputTokenCount, usage?.OutputTokenCount);
        var cost = Price?.Cost(input, output);
        return new JudgeUsage(input, output, cost, latency, 1);
    }

    private static string Times(int n) => n == 1 ? "once" : $"{n} times";

    /// <summary>A transient failure worth retrying, or null. Refused keys and unknown models end the run with why.</summary>
    private Transient? Classify(Exception e)
    {
        var status = e switch
        {
            ClientResultException c => c.Status,
            HttpRequestException h => (int?)h.StatusCode ?? 0,
            _ => -1,
        };
        if (e is TaskCanceledException or TimeoutException)
        {
            return new Transient("no answer in time", null);
        }
        switch (status)
        {
            case 401 or 403:
                throw new JudgeSetupException(
                    $"The judge endpoint refused the key (HTTP {status}): check the key the contract's "
                        + "judges.model.key names.",
                    e
                );
            case 404:
                throw new JudgeSetupException(
                    $"The judge endpoint answered HTTP 404 for model \"{_options.Model}\": check judges.model.endpoint "
                        + "(an OpenAI-compatible base address, usually ending in /v1) and judges.model.model.",
                    e
                );
            case 0:
                return new Transient($"could not reach it: {Shorten(e.Message)}", null);
            case 408 or 429 or >= 500:
                return new Transient($"HTTP {status}", RetryAfter(e));
            default:
                return null;
        }
    }

    private TimeSpan? RetryAfter(Exception e)
    {
        if (e is not ClientResultException { } c || c.GetRawResponse() is not { } response)
        {
            return null;
        }
        if (
            response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
        )
        {
            return TimeSpan.FromMilliseconds(Math.Max(0, milliseconds));
        }
        if (!response.Headers.TryGetValue("retry-after", out var value) || value is null)
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - _options.Time.GetUtcNow()).Ticks))
            : null;
    }

    private static string Shorten(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 160 ? line : line[..160] + "…";
    }

    private sealed record Transient(string What, TimeSpan? RetryAfter);
}
