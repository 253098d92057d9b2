using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Overlap.Server;

/// <summary>RFC 9457 problem details written by hand where no endpoint result is in play (auth, limits, the last-resort handler).</summary>
internal static class Problems
{
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem, ServerJsonContext.Default.ProblemDetails), context.RequestAborted);
    }
}
