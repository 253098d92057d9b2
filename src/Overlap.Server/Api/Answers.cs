using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Overlap.Server.Api;

/// <summary>What several endpoints answer alike.</summary>
internal static class Answers
{
    /// <summary>404 for a feature that has no contract, saying how to give it one.</summary>
    public static NotFound<ProblemDetails> NoSuchFeature(string feature) =>
        Problems.NotFound(
            "No such feature",
            $"'{feature}' has no contract yet; PUT one at /v1/features/{feature}/contract."
        );

    /// <summary>The earliest time a query may name: ranges are moved by windows and label delays, which must not leave the calendar.</summary>
    public static readonly DateTimeOffset EarliestTime = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first time a query may no longer name (see <see cref="EarliestTime"/>).</summary>
    public static readonly DateTimeOffset LatestTime = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The times a query may name, in words, for the problems that refuse others.</summary>
    public const string TimeRange = "from 1900 to 2999";

    /// <summary>
    /// An ISO 8601 date or time from a query string, UTC when it names no offset; null when it does not parse or lies
    /// outside [<see cref="EarliestTime"/>, <see cref="LatestTime"/>) (0001-01-01 or 9999-12-31 would overflow a window).
    /// </summary>
    public static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var time
        )
        && time >= EarliestTime
        && time < LatestTime
            ? time
            : null;

    /// <summary>The most bootstrap resamples a request may ask for.</summary>
    public const int MaxResamples = 10_000;

    /// <summary>Why <paramref name="resamples"/> cannot be used, or null when it can (or is left out).</summary>
    public static string? ResamplesProblem(int? resamples) =>
        resamples is < 0 or > MaxResamples
            ? $"resamples must be between 0 (no bootstrap intervals) and {MaxResamples}"
            : null;
}
