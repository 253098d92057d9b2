using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>Counts the workflow traces of stored predictions into a window's <see cref="WorkflowTally"/>, with each call's segment values.</summary>
internal static class WorkflowRows
{
    /// <summary>Adds the guarded rows of <paramref name="rows"/> to <paramref name="tally"/>, each counting for <paramref name="counts"/>' predictions (one each when null).</summary>
    public static void Add(Contract contract, ProductionRows rows, WorkflowTally tally, long[]? counts = null)
    {
        var segments = contract.Columns.Segments;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows.Workflows[i] is { } trace)
            {
                tally.Add(
                    trace,
                    segments.Select(s => (s, rows.Attributes.TryGetValue(s, out var values) ? values[i] : null)),
                    counts?[i] ?? 1
                );
            }
        }
    }
}
