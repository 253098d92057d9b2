using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Samples.MailPreview.Production;

/// <summary>
/// What the contract's guard did over the replayed days, read from the server's windows (<c>/metrics</c>, each
/// window's <c>workflow</c>): each day's report as the server gave it, and the days merged into one as the feature page
/// merges them (the counts added, the rates and intervals computed again over all the calls).
/// </summary>
internal sealed record GuardFindings(WorkflowReport Range, IReadOnlyList<(DateOnly Day, WorkflowReport Window)> Days)
{
    /// <summary>The guard's findings from the <c>/metrics</c> answer; null when no window had a guarded call.</summary>
    public static GuardFindings? Read(JsonElement metrics, Contract contract)
    {
        var days = metrics
            .GetProperty("windows")
            .EnumerateArray()
            .Where(w => w.TryGetProperty("workflow", out var f) && f.ValueKind == JsonValueKind.Object)
            .Select(w =>
                (
                    DateOnly.FromDateTime(w.GetProperty("start").GetDateTimeOffset().UtcDateTime),
                    Parse(w.GetProperty("workflow"))
                )
            )
            .ToList();
        return WorkflowMonitor.Merge(contract, days.Select(d => d.Item2)) is { } range
            ? new GuardFindings(range, days)
            : null;
    }

    /// <summary>
    /// The guard's figures in plain words: the routes and rates in the contract's words (the server's statements over
    /// the days together, which name the check that failed most), then the other checks that sent previews back and
    /// what the previews that failed twice showed.
    /// </summary>
    public IEnumerable<string> Lines(string fallback)
    {
        foreach (var statement in Range.Statements)
        {
            yield return statement;
        }
        if (Range.FailedChecks.Count == 0)
        {
            yield break;
        }
        var c = CultureInfo.InvariantCulture;
        var others = Range
            .FailedChecks.Skip(1)
            .Select(f =>
                string.Create(
                    c,
                    $"{f.Check} in {f.Calls} {(f.Calls == 1 ? "preview" : "previews")} ({(f.PassedAfterRetry == 0 ? "none" : f.PassedAfterRetry == f.Calls ? "all" : f.PassedAfterRetry.ToString(c))} then passed on the retry)"
                )
            )
            .ToList();
        var fellBack = Range.Routes.GetValueOrDefault(Overlap.Events.WorkflowRoutes.Fallback);
        var then =
            fellBack == 0
                ? "No preview failed its second try."
                : string.Create(
                    c,
                    $"The {fellBack} {(fellBack == 1 ? "preview" : "previews")} that failed the second try too showed the {fallback} fallback instead: the email's first sentence, cut to 140 characters."
                );
        yield return others.Count == 0
            ? then
            : $"Other checks that sent previews back for a second try: {string.Join(", ", others)}. {then}";
    }

    /// <summary>A window's <c>workflow</c> object as the server wrote it.</summary>
    private static WorkflowReport Parse(JsonElement w) =>
        new()
        {
            Guarded = w.GetProperty("guarded").GetInt64(),
            Routes = w.GetProperty("routes")
                .EnumerateObject()
                .ToDictionary(r => r.Name, r => r.Value.GetInt64(), StringComparer.Ordinal),
            Retried = w.GetProperty("retried").GetInt64(),
            Attempts = w.GetProperty("attempts").GetInt64(),
            AttemptSquares = w.GetProperty("attempt_squares").GetInt64(),
            Metrics = w.GetProperty("metrics")
                .EnumerateObject()
                .ToDictionary(m => m.Name, m => Value(m.Value), StringComparer.Ordinal),
            FailedChecks =
            [
                .. w.GetProperty("failed_checks")
                    .EnumerateArray()
                    .Select(f => new FailedCheckCount
                    {
                        Check = f.GetProperty("check").GetString()!,
                        Calls = f.GetProperty("calls").GetInt64(),
                        PassedAfterRetry = f.GetProperty("passed_after_retry").GetInt64(),
                        PassedShare = Value(f.GetProperty("passed_share")),
                    }),
            ],
            Statements = [.. w.GetProperty("statements").EnumerateArray().Select(s => s.GetString()!)],
        };

    private static MetricValue Value(JsonElement v) =>
        new(Number(v, "value"), Number(v, "ci_low"), Number(v, "ci_high"), v.GetProperty("n").GetInt64());

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
}
