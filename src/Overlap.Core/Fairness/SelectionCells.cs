using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;

namespace Overlap.Core.Fairness;

/// <summary>
/// Every prediction's decision by its sensitive attributes, as counts: (the attributes' values, flagged or not) → how
/// many predictions. The selection rate needs no label, so production takes it over all of a window's predictions
/// rather than the labelled ones (which, when labels come from a review band or from the flagged cases alone, are not a
/// fair sample of what the model decided). Cells add up, so windows and chunks merge exactly.
/// </summary>
public sealed class SelectionCells
{
    private const char Separator = '\u001f';

    /// <summary>Stands for a missing value inside a cell's key (a stored value never holds a NUL: they are repaired at the door).</summary>
    private const string Missing = "\0";

    /// <summary>Cells for the sensitive attributes <paramref name="attributes"/>, in this order.</summary>
    public SelectionCells(IReadOnlyList<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Attributes = [.. attributes];
    }

    /// <summary>The sensitive attributes, in the order of each cell's values.</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>(values joined, flagged) → predictions.</summary>
    private Dictionary<(string Values, bool Flagged), long> Counts { get; } = [];

    /// <summary>How many predictions the cells count.</summary>
    public long Total { get; private set; }

    /// <summary>
    /// The cells of <paramref name="predictions"/>: every prediction of a window in the contract's columns (its sensitive
    /// attributes, and its score or decision), read with the contract's column rules. A prediction's decision is the one
    /// it sent, or its score at the contract's threshold; one with neither is not counted. Null when the contract has no
    /// fairness section or is not binary.
    /// </summary>
    /// <param name="contract">The contract.</param>
    /// <param name="predictions">The predictions, a row each (or a row per group of them).</param>
    /// <param name="counts">How many predictions each row stands for; null when one each.</param>
    public static SelectionCells? Of(Contract contract, Table predictions, long[]? counts = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(predictions);
        if (contract.Fairness is not { } fairness || contract.Task != TaskKind.Binary)
        {
            return null;
        }
        var cells = new SelectionCells(fairness.Attributes);
        var n = predictions.RowCount;
        var all = Enumerable.Range(0, n).ToArray();
        var flagged = Decisions(contract, predictions, all);
        var columns = fairness
            .Attributes.Select(a =>
                predictions.Find(a) is { } column
                    ? EvaluationInputs.Present(column, all)
                    : new SegmentColumn(a, Enumerable.Repeat(-1, n).ToArray(), [])
            )
            .ToList();
        var values = new string?[columns.Count];
        for (var i = 0; i < n; i++)
        {
            if (flagged[i] is not { } decided)
            {
                continue;
            }
            for (var c = 0; c < values.Length; c++)
            {
                var code = columns[c].Codes.Span[i];
                values[c] = code < 0 ? null : columns[c].Values[code];
            }
            cells.Add(values, decided, counts?[i] ?? 1);
        }
        return cells;
    }

    /// <summary>Each row's decision: the one sent (a label of the contract, or 1/0), else its score at the threshold; null when neither is usable.</summary>
    private static bool?[] Decisions(Contract contract, Table table, int[] rows)
    {
        var result = new bool?[rows.Length];
        var labels = contract.Labels;
        bool? Sent(string text) => EvaluationInputs.BinaryValue(text, labels, decision: true) is { } v ? v == 1 : null;
        switch (contract.Columns.Prediction is { } p ? table.Find(p) : null)
        {
            case CategoricalColumn sent:
                var byCode = sent.Categories.Select(Sent).ToArray();
                for (var i = 0; i < rows.Length; i++)
                {
                    var code = sent.Codes[rows[i]];
                    result[i] = code < 0 ? null : byCode[code];
                }
                return result;
            case NumericColumn sent:
                for (var i = 0; i < rows.Length; i++)
                {
                    var v = sent.Values[rows[i]];
                    result[i] =
                        double.IsNaN(v) ? null
                        : labels.Positive is null && v is 1 or 0 ? v == 1
                        : Sent(NumericColumn.Format(v));
                }
                return result;
        }
        if (contract.Columns.Score is { } s && table.Find(s) is NumericColumn scores)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var v = scores.Values[rows[i]];
                result[i] = double.IsNaN(v) ? null : v >= contract.Threshold;
            }
        }
        return result;
    }

    /// <summary>Counts <paramref name="count"/> predictions with these attribute values (null where missing) and this decision.</summary>
    public void Add(IReadOnlyList<string?> values, bool flagged, long count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Attributes.Count)
        {
            throw new ArgumentException(
                $"{values.Count} values for {Attributes.Count} sensitive attributes",
                nameof(values)
            );
        }
        var key = (string.Join(Separator, values.Select(v => v ?? Missing)), flagged);
        Counts[key] = Counts.GetValueOrDefault(key) + count;
        Total += count;
    }

    /// <summary>Adds the cells of <paramref name="other"/> (another chunk or window of the same attributes).</summary>
    /// <exception cref="ArgumentException">The other cells are of other attributes (another contract version).</exception>
    public void Add(SelectionCells other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Attributes.SequenceEqual(other.Attributes, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                "selection cells of different sensitive attributes (different contract versions) do not merge",
                nameof(other)
            );
        }
        foreach (var (key, count) in other.Counts)
        {
            Counts[key] = Counts.GetValueOrDefault(key) + count;
        }
        Total += other.Total;
    }

    /// <summary>Whether these cells count the sensitive attributes of <paramref name="policy"/>, in its order.</summary>
    public bool Covers(FairnessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Attributes.SequenceEqual(policy.Attributes, StringComparer.Ordinal);
    }

    /// <summary>The cells in a fixed order: each one's attribute values (null where missing), decision and count.</summary>
    internal IReadOnlyList<(string?[] Values, bool Flagged, long Count)> Cells() =>
        [
            .. Counts
                .OrderBy(c => c.Key.Values, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Flagged)
                .Select(c =>
                    (
                        Attributes.Count == 0
                            ? []
                            : c.Key.Values.Split(Separator).Select(v => v == Missing ? null : v).ToArray(),
                        c.Key.Flagged,
                        c.Value
                    )
                ),
        ];

    /// <summary>Writes the cells compactly (inside a window summary).</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Attributes.Count);
        foreach (var attribute in Attributes)
        {
            writer.Write(attribute);
        }
        writer.Write(Counts.Count);
        foreach (var ((values, flagged), count) in Counts)
        {
            writer.Write(values);
            writer.Write(flagged);
            writer.Write(count);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static SelectionCells Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var attributes = new string[reader.ReadInt32()];
        for (var i = 0; i < attributes.Length; i++)
        {
            attributes[i] = reader.ReadString();
        }
        var cells = new SelectionCells(attributes);
        for (var i = reader.ReadInt32(); i > 0; i--)
        {
            var key = (reader.ReadString(), reader.ReadBoolean());
            var count = reader.ReadInt64();
            cells.Counts[key] = count;
            cells.Total += count;
        }
        return cells;
    }
}
