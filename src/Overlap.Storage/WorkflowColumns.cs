using System.Text.Json;
using Overlap.Events;

namespace Overlap.Storage;

/// <summary>
/// How a prediction's <see cref="WorkflowTrace"/> is kept in an event table, the same in every store: four nullable
/// columns (<c>workflow_route</c>, <c>workflow_attempts</c>, <c>workflow_failed_checks</c> as a JSON array of names,
/// <c>workflow_reason</c>), all null for a call no guard ran.
/// </summary>
internal static class WorkflowColumns
{
    /// <summary>The column names, in the tables' order.</summary>
    public const string Names = "workflow_route, workflow_attempts, workflow_failed_checks, workflow_reason";

    /// <summary>The failed checks as stored: a JSON array of names; null without a trace.</summary>
    public static string? Checks(WorkflowTrace? trace)
    {
        if (trace is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var check in trace.FailedChecks)
            {
                writer.WriteStringValue(check);
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// The trace of a stored row, or null when the row has no route (a call no guard ran). Names repeated across rows
    /// are kept once through <paramref name="pool"/> when given.
    /// </summary>
    public static WorkflowTrace? Read(
        string? route,
        long? attempts,
        string? checksJson,
        string? reason,
        TextPool? pool = null
    )
    {
        if (route is null)
        {
            return null;
        }
        return new WorkflowTrace
        {
            Route = pool?.Intern(route) ?? route,
            Attempts = (int)(attempts ?? 1),
            FailedChecks = ReadChecks(checksJson, pool),
            Reason = reason,
        };
    }

    private static string[] ReadChecks(string? json, TextPool? pool)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document
                .RootElement.EnumerateArray()
                .Select(e => e.GetString()!)
                .Select(name => pool?.Intern(name) ?? name),
        ];
    }
}
