using Overlap.Core.Contracts;
using Overlap.Core.Text;

namespace Overlap.Core.Drift;

/// <summary>What the drift analyzer tests and how.</summary>
public sealed record DriftOptions
{
    /// <summary>Columns to test; null tests every column the two data sets share.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The test for every column (auto or a forced one) and per-column overrides.</summary>
    public DriftPolicy Policy { get; init; } = new();

    /// <summary>The feature's name, for the report.</summary>
    public string? Feature { get; init; }

    /// <summary>A jump in a column's missing share at least this large (absolute) is a schema change.</summary>
    public double NullShareJump { get; init; } = 0.05;

    /// <summary>Non-missing values <see cref="MinSamples"/> asks of each side by default.</summary>
    public const int DefaultMinSamples = 30;

    /// <summary>Non-missing values each side needs before a column is judged; below it the column is "not enough data", neither drift nor stable.</summary>
    public int MinSamples { get; init; } = DefaultMinSamples;

    /// <summary>
    /// Turns texts into embeddings for the text columns (<see cref="DriftPolicy.Text"/>). Without one, a text column
    /// gets its descriptors tested but no verdict of its own (not judged, with the reason).
    /// </summary>
    public ITextEmbedder? TextEmbedder { get; init; }

    /// <summary>Texts <see cref="TextSample"/> embeds per side by default.</summary>
    public const int DefaultTextSample = 500;

    /// <summary>
    /// The most texts embedded per side and text column: larger sides are sampled (seeded, by row position), which
    /// bounds time and memory. The descriptors use every text.
    /// </summary>
    public int TextSample { get; init; } = DefaultTextSample;

    /// <summary>Columns never tested as inputs, with the role the contract gives them (id, time, label, score, prediction, latency).</summary>
    public IReadOnlyDictionary<string, string>? Roles { get; init; }

    /// <summary>The columns a contract names as id, time, label, score, prediction or latency, each with its role.</summary>
    public static IReadOnlyDictionary<string, string> RolesOf(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        var c = contract.Columns;
        foreach (
            var (column, role) in new[]
            {
                (c.Id, "id"),
                (c.Time, "time"),
                (c.Label, "label"),
                (c.Score, "score"),
                (c.Prediction, "prediction"),
                (c.LatencyMs, "latency"),
            }
        )
        {
            if (column is not null)
            {
                roles.TryAdd(column, role);
            }
        }
        return roles;
    }
}
