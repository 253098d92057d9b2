using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Overlap.Server.Api;

/// <summary>
/// RFC 9457 problem details, built here and nowhere else: as typed results for endpoints, and written by hand where no
/// endpoint result is in play (auth, limits, binding failures, the last-resort handler). Each has a status, a title
/// saying what is wrong and a detail saying what to send instead.
/// </summary>
internal static partial class Problems
{
    /// <summary>The problem itself.</summary>
    public static ProblemDetails Details(int status, string title, string? detail) =>
        new()
        {
            Status = status,
            Title = title,
            Detail = detail,
        };

    /// <summary>400: the request is not valid.</summary>
    public static BadRequest<ProblemDetails> BadRequest(string title, string? detail) =>
        TypedResults.BadRequest(Details(StatusCodes.Status400BadRequest, title, detail));

    /// <summary>404: what the request names does not exist.</summary>
    public static NotFound<ProblemDetails> NotFound(string title, string? detail) =>
        TypedResults.NotFound(Details(StatusCodes.Status404NotFound, title, detail));

    /// <summary>409: the request conflicts with the state of what it names.</summary>
    public static Conflict<ProblemDetails> Conflict(string title, string? detail) =>
        TypedResults.Conflict(Details(StatusCodes.Status409Conflict, title, detail));

    /// <summary>Any status, for endpoints whose answers vary more than one result type can say.</summary>
    public static ProblemHttpResult Status(int status, string title, string? detail) =>
        TypedResults.Problem(Details(status, title, detail));

    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(Details(status, title, detail), ServerJsonContext.Default.ProblemDetails),
            context.RequestAborted
        );
    }

    /// <summary>
    /// Answers what the framework could not bind (a query or route value of the wrong type, a body that is not the JSON
    /// expected) with its own status, naming the parameter and what to send, instead of an empty 400 or a 500.
    /// </summary>
    public static IApplicationBuilder UseBindingProblems(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                try
                {
                    await next(context).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await Write(
                            context,
                            e.StatusCode,
                            e.StatusCode == StatusCodes.Status413PayloadTooLarge
                                ? "The body is too large"
                                : "A parameter is not valid",
                            Explain(e.Message)
                        )
                        .ConfigureAwait(false);
                }
            }
        );

    /// <summary>The framework's binding message in words a client can act on; the message itself when it is another one.</summary>
    public static string Explain(string message)
    {
        if (BindFailed().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            var value = failed.Groups["value"].Value;
            return $"{name} is '{(value.Length > 40 ? value[..40] + "…" : value)}', which is not {Expected(failed.Groups["type"].Value)}; send {name}={Example(failed.Groups["type"].Value)} or leave it out.";
        }
        if (NotProvided().Match(message) is { Success: true } missing)
        {
            return $"{missing.Groups["name"].Value} is needed; send {Expected(missing.Groups["type"].Value)}.";
        }
        if (BadJson().Match(message) is { Success: true })
        {
            return "The body is not the JSON this endpoint reads (or is nested too deep); see docs/api.md for its shape.";
        }
        return message;
    }

    private static string Expected(string type) =>
        type.TrimEnd('?') switch
        {
            "int" or "long" => "a whole number",
            "ulong" or "uint" => "a whole number of 0 or more",
            "double" or "float" or "decimal" => "a number",
            "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 date or time",
            _ => $"a {type.TrimEnd('?')}",
        };

    private static string Example(string type) =>
        type.TrimEnd('?') switch
        {
            "int" or "long" or "ulong" or "uint" => "10",
            "double" or "float" or "decimal" => "0.5",
            "bool" => "true",
            "DateTimeOffset" or "DateTime" => "2026-11-01",
            _ => "…",
        };

    [GeneratedRegex(
        """^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""",
        RegexOptions.Singleline
    )]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>[^"]+)" was not provided""")]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^Failed to read parameter ".*" from the request body as JSON""")]
    private static partial Regex BadJson();
}
