using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Overlap.Server.Endpoints;

/// <summary>What several endpoints answer alike.</summary>
internal static class Answers
{
    /// <summary>404 for a feature that has no contract, saying how to give it one.</summary>
    public static NotFound<ProblemDetails> NoSuchFeature(string feature) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such feature", Detail = $"'{feature}' has no contract yet; PUT one at /v1/features/{feature}/contract." });

    /// <summary>An ISO 8601 date or time from a query string, UTC when it names no offset; null when it does not parse.</summary>
    public static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
