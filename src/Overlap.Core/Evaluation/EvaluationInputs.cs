using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Metrics;

namespace Overlap.Core.Evaluation;

/// <summary>
/// Turns the columns a contract names into the engines' inputs: which rows are labelled, labels and
/// decisions as 0/1 or class codes, scores, and segment codes. Every value the contract does not account
/// for is refused with the column, the value, the row and what to write instead.
/// </summary>
internal static class EvaluationInputs
{
    private static readonly string[] TrueWords = ["1", "true", "yes", "y", "t"];
    private static readonly string[] FalseWords = ["0", "false", "no", "n", "f"];

    /// <summary>The columns to read and the rules they must meet.</summary>
    /// <param name="contract">The contract naming the columns.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <param name="withSegments">False for a baseline file, which needs only ids, labels and the model's output.</param>
    public static TableReadOptions ReadOptions(Contract contract, string source, bool withSegments = true)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var c = contract.Columns;
        var rules = new Dictionary<string, ColumnRule>(StringComparer.Ordinal);
        var classification = contract.Task != TaskKind.Regression;
        rules[c.Label] = new ColumnRule(classification ? null : ColumnKind.Numeric, Role: "label");
        if (c.Score is { } score)
        {
            rules[score] =
                contract.Task == TaskKind.Binary
                    ? new ColumnRule(ColumnKind.Numeric, Required: true, Min: 0, Max: 1, Role: "score")
                    : new ColumnRule(ColumnKind.Numeric, Required: true, Role: "score");
        }
        if (c.Prediction is { } prediction)
        {
            rules[prediction] = new ColumnRule(
                contract.Task == TaskKind.Regression ? ColumnKind.Numeric : null,
                Required: true,
                Role: "prediction"
            );
        }
        foreach (var s in withSegments ? c.Segments : [])
        {
            rules.TryAdd(s, new ColumnRule(Role: "segment"));
        }
        foreach (var a in withSegments ? contract.Fairness?.Attributes ?? [] : [])
        {
            rules.TryAdd(a, new ColumnRule(Role: "fairness attribute"));
        }
        if (c.Id is { } id)
        {
            rules.TryAdd(id, new ColumnRule(ColumnKind.Categorical, Role: "id"));
        }
        var columns = new List<string>(rules.Keys);
        return new TableReadOptions
        {
            Columns = columns,
            Rules = rules,
            Source = source,
        };
    }

    /// <summary>The rows whose label is present, in order.</summary>
    public static int[] LabelledRows(Column label)
    {
        var rows = new List<int>(label.Count);
        switch (label)
        {
            case NumericColumn n:
                var values = n.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    if (!double.IsNaN(values[i]))
                    {
                        rows.Add(i);
                    }
                }
                break;
            case CategoricalColumn c:
                var codes = c.Codes;
                for (var i = 0; i < codes.Length; i++)
                {
                    if (codes[i] >= 0)
                    {
                        rows.Add(i);
                    }
                }
                break;
        }
        return [.. rows];
    }

    /// <summary>Values of a numeric column at the given rows.</summary>
    public static double[] Numbers(Column column, int[] rows)
    {
        var values = ((NumericColumn)column).Values;
        var result = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            result[i] = values[rows[i]];
        }
        return result;
    }

    /// <summary>
    /// A binary column (label or decision) as 1 for the positive label and 0 for the negative one. With
    /// <c>labels.positive</c> in the contract the text must match it (and <c>labels.negative</c> when that
    /// is given too), though a decision may also be written 1/0; without it, 1/0, true/false and yes/no are understood.
    /// </summary>
    public static byte[] Binary(Column column, int[] rows, ContractLabels labels, string role, string source)
    {
        var decision = role == "prediction";
        var map = new Dictionary<string, byte>(StringComparer.Ordinal);
        byte Decide(string text, int row)
        {
            if (map.TryGetValue(text, out var known))
            {
                return known;
            }
            var value = BinaryValue(text, labels, decision)
                ?? throw new DataException(UnknownLabel(column.Name, text, row, labels, role, source));
            map[text] = value;
            return value;
        }

        var result = new byte[rows.Length];
        if (column is CategoricalColumn categorical)
        {
            var codes = categorical.Codes;
            var byCode = new int[categorical.Categories.Count];
            Array.Fill(byCode, -1);
            for (var i = 0; i < rows.Length; i++)
            {
                var code = codes[rows[i]];
                if (code < 0)
                {
                    throw new DataException(
                        $"{source}: data row {rows[i] + 1} has no {role} (column '{column.Name}'); every labelled example needs one"
                    );
                }
                if (byCode[code] < 0)
                {
                    byCode[code] = Decide(categorical.Categories[code], rows[i]);
                }
                result[i] = (byte)byCode[code];
            }
            return result;
        }
        var numbers = ((NumericColumn)column).Values;
        for (var i = 0; i < rows.Length; i++)
        {
            var v = numbers[rows[i]];
            if (double.IsNaN(v))
            {
                throw new DataException(
                    $"{source}: data row {rows[i] + 1} has no {role} (column '{column.Name}'); every labelled example needs one"
                );
            }
            result[i] =
                v == 1 && labels.Positive is null ? (byte)1
                : v == 0 && labels.Positive is null ? (byte)0
                : Decide(NumericColumn.Format(v), rows[i]);
        }
        return result;
    }

    /// <summary>
    /// A binary label or decision as 1 (positive) or 0 (negative), by the contract's labels (or 1/0, true/false, yes/no
    /// when it names none); null when the contract does not account for it.
    /// </summary>
    public static byte? BinaryValue(string text, ContractLabels labels, bool decision = false)
    {
        if (labels.Positive is { } positive)
        {
            return text == positive ? (byte)1
                : text == labels.Negative ? (byte)0
                // docs/contract.md lets a binary decision be written 1/0 beside named labels.
                : decision && text is "1" or "0" ? (text == "1" ? (byte)1 : (byte)0)
                : labels.Negative is null ? (byte)0
                : null;
        }
        return TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? (byte)1
            : FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? (byte)0
            : null;
    }

    /// <summary>Whether a label or prediction is one the contract accounts for (regression values are checked as numbers by the column rules).</summary>
    public static bool Named(Contract contract, string text) =>
        contract.Task switch
        {
            TaskKind.Binary => BinaryValue(text, contract.Labels) is not null,
            TaskKind.Multiclass => contract.Labels.Classes.Count == 0
                || contract.Labels.Classes.Contains(text, StringComparer.Ordinal),
            _ => true,
        };

    /// <summary>
    /// A class column as codes into <paramref name="classes"/>. The contract's <c>labels.classes</c>, when
    /// given, fixes the classes and their order and any other value is refused; otherwise the classes are the
    /// distinct values met, sorted.
    /// </summary>
    public static int[] Classes(
        Column column,
        int[] rows,
        IReadOnlyList<string> classes,
        string role,
        string source,
        ContractLabels labels
    )
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++)
        {
            index[classes[i]] = i;
        }
        var result = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var text = column.Text(rows[i])
                ?? throw new DataException(
                    $"{source}: data row {rows[i] + 1} has no {role} (column '{column.Name}'); every labelled example needs one"
                );
            if (!index.TryGetValue(text, out var code))
            {
                throw new DataException(UnknownLabel(column.Name, text, rows[i], labels, role, source));
            }
            result[i] = code;
        }
        return result;
    }

    /// <summary>The classes of a multiclass task: the contract's list, or the sorted distinct labels and predictions.</summary>
    public static IReadOnlyList<string> ClassList(ContractLabels labels, int[] rows, params Column[] columns)
    {
        if (labels.Classes.Count > 0)
        {
            return labels.Classes;
        }
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column is CategoricalColumn c)
            {
                var present = new bool[c.Categories.Count];
                var codes = c.Codes;
                foreach (var r in rows)
                {
                    if (codes[r] >= 0)
                    {
                        present[codes[r]] = true;
                    }
                }
                for (var k = 0; k < present.Length; k++)
                {
                    if (present[k])
                    {
                        seen.Add(c.Categories[k]);
                    }
                }
            }
            else
            {
                foreach (var r in rows)
                {
                    if (column.Text(r) is { } t)
                    {
                        seen.Add(t);
                    }
                }
            }
        }
        return [.. seen];
    }

    /// <summary>
    /// A segment column at the given rows: codes into the values present there (sorted), with the rows that have no
    /// value in one more group, <see cref="SegmentResult.Missing"/>, last.
    /// </summary>
    public static SegmentColumn Segment(Column column, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(column);
        return WithMissingGroup(Present(column, rows));
    }

    /// <summary>Gives the rows coded −1 (no value) the code of a <see cref="SegmentResult.Missing"/> group, when there are any.</summary>
    private static SegmentColumn WithMissingGroup(SegmentColumn segment)
    {
        var codes = segment.Codes.ToArray();
        if (Array.IndexOf(codes, -1) < 0)
        {
            return segment;
        }
        // A value that is literally "(missing)" in the data joins the group rather than making a second one of that name.
        var values = segment.Values.ToList();
        var code = values.IndexOf(SegmentResult.Missing);
        if (code < 0)
        {
            code = values.Count;
            values.Add(SegmentResult.Missing);
        }
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] < 0)
            {
                codes[i] = code;
            }
        }
        return new SegmentColumn(segment.Name, codes, values);
    }

    /// <summary>A segment column at the given rows: codes into the values present there (sorted), −1 for missing.</summary>
    internal static SegmentColumn Present(Column column, int[] rows)
    {
        if (column is CategoricalColumn c)
        {
            var codes = c.Codes;
            var present = new bool[c.Categories.Count];
            foreach (var r in rows)
            {
                if (codes[r] >= 0)
                {
                    present[codes[r]] = true;
                }
            }
            var values = Enumerable
                .Range(0, present.Length)
                .Where(k => present[k])
                .Select(k => c.Categories[k])
                .Order(StringComparer.Ordinal)
                .ToList();
            var remap = new int[c.Categories.Count];
            Array.Fill(remap, -1);
            for (var k = 0; k < values.Count; k++)
            {
                remap[IndexOf(c.Categories, values[k])] = k;
            }
            var result = new int[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var code = codes[rows[i]];
                result[i] = code < 0 ? -1 : remap[code];
            }
            return new SegmentColumn(column.Name, result, values);
        }
        var numbers = ((NumericColumn)column).Values;
        var sorted = new SortedSet<double>();
        foreach (var r in rows)
        {
            if (!double.IsNaN(numbers[r]))
            {
                sorted.Add(numbers[r]);
                if (sorted.Count > 1000)
                {
                    throw new DataException(
                        $"segment column '{column.Name}' has more than 1,000 distinct numbers; a segment splits traffic into a few groups, so bucket it first (for example into bands) or drop it from columns.segments"
                    );
                }
            }
        }
        var keys = sorted.ToList();
        var codesOut = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var v = numbers[rows[i]];
            codesOut[i] = double.IsNaN(v) ? -1 : keys.BinarySearch(v);
        }
        return new SegmentColumn(column.Name, codesOut, keys.ConvertAll(NumericColumn.Format));
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static string UnknownLabel(
        string column,
        string value,
        int row,
        ContractLabels labels,
        string role,
        string source
    )
    {
        var named =
            labels.Classes.Count > 0 ? "the classes " + string.Join(", ", labels.Classes.Select(c => $"'{c}'"))
            : labels.Positive is null ? "no labels, so only 1/0, true/false or yes/no are understood"
            : labels.Negative is null ? $"the positive label '{labels.Positive}'"
            : $"the labels '{labels.Positive}' and '{labels.Negative}'";
        var fix =
            labels.Classes.Count > 0 ? "add it to labels.classes or fix the data"
            : labels.Positive is null
                ? "name them in the contract, e.g. labels: { positive: <value>, negative: <value> }"
            : "fix the data or the contract's labels";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{source}: data row {row + 1} has {role} '{value}' in column '{column}', but the contract names {named}; {fix}"
        );
    }
}
