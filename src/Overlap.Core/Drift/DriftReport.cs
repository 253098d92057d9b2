using Overlap.Core.Provenance;

namespace Overlap.Core.Drift;

/// <summary>The drift of a data set against its reference: schema changes first, then each column.</summary>
public sealed record DriftReport
{
    /// <summary>The feature, when a contract was given.</summary>
    public string? Feature { get; init; }

    /// <summary>Rows in the reference.</summary>
    public required int ReferenceRows { get; init; }

    /// <summary>Rows in the current data.</summary>
    public required int CurrentRows { get; init; }

    /// <summary>Each tested column.</summary>
    public required IReadOnlyList<ColumnDrift> Columns { get; init; }

    /// <summary>Share of the judged columns that drifted (columns without enough data are left out).</summary>
    public required double DriftedShare { get; init; }

    /// <summary>True when at least half of the judged columns drifted, or a column is missing or changed type.</summary>
    public required bool DatasetDrift { get; init; }

    /// <summary>Columns that could not be judged: fewer than <see cref="MinSamples"/> values on a side, or absent from the reference.</summary>
    public int NotJudged { get; init; }

    /// <summary>The non-missing values each side needed for a column to be judged.</summary>
    public int MinSamples { get; init; } = DriftOptions.DefaultMinSamples;

    /// <summary>Schema changes, found before the tests.</summary>
    public required IReadOnlyList<SchemaChange> Schema { get; init; }

    /// <summary>Plain-language summary lines.</summary>
    public required IReadOnlyList<string> Statements { get; init; }

    /// <summary>Columns left untested, with why (the contract's id, time, label, score or prediction; identifiers, unless named explicitly).</summary>
    public IReadOnlyList<SkippedColumn> Skipped { get; init; } = [];

    /// <summary>The text columns' details: the embedding test and the descriptors (each also has its entry in <see cref="Columns"/>).</summary>
    public IReadOnlyList<TextColumnDrift> Text { get; init; } = [];

    /// <summary>What produced the report: Overlap's version, the contract, the reference and current files' hashes and time.</summary>
    public RunProvenance? Provenance { get; init; }
}
