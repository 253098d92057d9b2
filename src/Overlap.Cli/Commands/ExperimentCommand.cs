using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap experiment status NAME</c>: asks a running server for an experiment's decision and exits as <c>gate</c>
/// does, so a deployment pipeline can act on it: 0 roll out, 1 roll back (or stop: the split is wrong), 2 keep running.
/// </summary>
internal static class ExperimentCommand
{
    /// <summary>How long the server may take to judge the experiment.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Command Create(CliIo io)
    {
        var command = new Command("experiment", "Experiments on live traffic, as a running server judges them.");
        command.Subcommands.Add(Status(io));
        return command;
    }

    private static Command Status(CliIo io)
    {
        var name = new Argument<string>("name") { Description = "The experiment's name, as the contract declares it." };
        var server = new Option<string?>("--server")
        {
            Description = "The server's address, e.g. http://127.0.0.1:5080 (default: $OVERLAP_SERVER).",
        };
        var key = new Option<string?>("--key")
        {
            Description = "An API key with the viewer role or above (default: $OVERLAP_KEY).",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "What to print: text (the decision and its reasons in words) or json (the server's answer).",
            DefaultValueFactory = _ => "text",
        };
        var running = new Option<string>("--running")
        {
            Description = "How 'keep running' exits: inconclusive (2), pass (0) or fail (1).",
            DefaultValueFactory = _ => "inconclusive",
        };
        var command = new Command(
            "status",
            "Print an experiment's decision and exit as gate does: 0 roll out, 1 roll back or stop, 2 keep running."
        )
        {
            name,
            server,
            key,
            format,
            running,
        };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var json = parse.GetValue(format) switch
                {
                    "text" => false,
                    "json" => true,
                    var other => throw new UserException(ExitCodes.Usage, $"--format is '{other}'; use text or json"),
                };
                var whenRunning = parse.GetValue(running) switch
                {
                    "inconclusive" => ExitCodes.Inconclusive,
                    "pass" => ExitCodes.Pass,
                    "fail" => ExitCodes.Fail,
                    var other => throw new UserException(
                        ExitCodes.Usage,
                        $"--running is '{other}'; use inconclusive, pass or fail"
                    ),
                };
                var address = parse.GetValue(server)
                    ?? io.Environment("OVERLAP_SERVER")
                    ?? throw new UserException(
                        ExitCodes.Usage,
                        "name the server: --server http://127.0.0.1:5080 (or set OVERLAP_SERVER)"
                    );
                if (
                    !Uri.TryCreate(address, UriKind.Absolute, out var baseUri)
                    || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)
                )
                {
                    throw new UserException(
                        ExitCodes.Usage,
                        $"--server is '{address}'; give the server's http or https address, e.g. http://127.0.0.1:5080"
                    );
                }
                var apiKey = parse.GetValue(key)
                    ?? io.Environment("OVERLAP_KEY")
                    ?? throw new UserException(
                        ExitCodes.Usage,
                        "give an API key with the viewer role: --key KEY (or set OVERLAP_KEY); 'overlap keys create --role viewer' makes one"
                    );
                var experiment = parse.GetValue(name)!;
                var answer = await DecisionAsync(baseUri, apiKey, experiment, cancellationToken).ConfigureAwait(false);
                using var document = JsonDocument.Parse(answer);
                var root = document.RootElement;
                var decision = root.GetProperty("decision").GetString();
                if (json)
                {
                    await io.Out.WriteLineAsync(answer).ConfigureAwait(false);
                }
                else
                {
                    await io.Out.WriteLineAsync($"{experiment}: {decision}").ConfigureAwait(false);
                    await io.Out.WriteLineAsync(root.GetProperty("statement").GetString()).ConfigureAwait(false);
                }
                return decision switch
                {
                    "rollout" => ExitCodes.Pass,
                    "running" => whenRunning,
                    _ => ExitCodes.Fail,
                };
            }
        );
        return command;
    }

    /// <summary>The server's answer to <c>GET /v1/experiments/{e}/decision</c>; a refusal or failure as a <see cref="UserException"/>.</summary>
    private static async Task<string> DecisionAsync(
        Uri server,
        string key,
        string experiment,
        CancellationToken cancellationToken
    )
    {
        using var http = new HttpClient { Timeout = Timeout };
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(server, $"/v1/experiments/{Uri.EscapeDataString(experiment)}/decision")
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new UserException(ExitCodes.Unavailable, $"could not reach {server}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UserException(
                ExitCodes.Unavailable,
                $"{server} did not answer within {Timeout.TotalSeconds:0} s; try again, or check the server's health at /healthz"
            );
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }
            var detail = Detail(body);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new UserException(
                    ExitCodes.Usage,
                    "the server did not accept the key; check --key (or OVERLAP_KEY)"
                ),
                HttpStatusCode.Forbidden => new UserException(
                    ExitCodes.Usage,
                    "the key may not read experiments; use a key with the viewer role or above"
                ),
                HttpStatusCode.NotFound or HttpStatusCode.Conflict => new UserException(ExitCodes.NoInput, detail),
                _ => new UserException(
                    ExitCodes.Unavailable,
                    $"the server answered {(int)response.StatusCode}: {detail}"
                ),
            };
        }
    }

    /// <summary>A problem's detail, or the start of a body that is not one.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: its start is shown below.
        }
        return body.Length > 200 ? body[..200] + "…" : body;
    }
}
