using System.Buffers;
using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Drift;

/// <summary>
/// Compares a current data set with its reference: schema checks first (missing or new columns, changed
/// types, jumps in the missing share, unseen categories), then one test per column with DESIGN.md's
/// defaults (as Evidently picks them) unless a test is forced, then dataset drift (half the columns or more).
/// Columns are tested in parallel.
/// </summary>
public static class DriftAnalyzer
{
    /// <summary>Runs the checks and tests.</summary>
    public static DriftReport Analyze(Table reference, Table current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var minSamples = Math.Max(1, options.MinSamples);
        var schema = new List<SchemaChange>();
        var skipped = new List<SkippedColumn>();
        var unjudged = new List<ColumnDrift>();
        var names = options.Columns ?? reference.Columns.Select(c => c.Name).ToList();
        var candidates = new List<string>();
        foreach (var name in names)
        {
            // The contract's id, time, label, score and prediction are not inputs: they move by construction or are what is judged.
            if (options.Roles?.GetValueOrDefault(name) is { } role)
            {
                skipped.Add(
                    new SkippedColumn(
                        name,
                        $"the contract names it as the {role} column, so it is not an input; drift is judged on inputs only"
                    )
                );
            }
            else if (!reference.Has(name))
            {
                schema.Add(new SchemaChange(name, "missing_column", $"'{name}' is not in the reference data"));
                unjudged.Add(
                    SchemaEntry(
                        name,
                        null,
                        current.Find(name),
                        drift: false,
                        "not in the reference data, so there is nothing to compare it with; add it to the reference or leave it out"
                    )
                );
            }
            else if (!current.Has(name))
            {
                schema.Add(
                    new SchemaChange(
                        name,
                        "missing_column",
                        $"'{name}' is in the reference but missing from the current data"
                    )
                );
                unjudged.Add(
                    SchemaEntry(
                        name,
                        reference.Find(name),
                        null,
                        drift: true,
                        "missing from the current data (the reference has it): whatever reads this column gets nothing, so it counts as drift"
                    )
                );
            }
            else
            {
                candidates.Add(name);
            }
        }
        if (options.Columns is null)
        {
            foreach (var c in current.Columns.Where(c => !reference.Has(c.Name)))
            {
                schema.Add(
                    new SchemaChange(c.Name, "new_column", $"'{c.Name}' is new: the reference has no such column")
                );
            }
        }
        var textColumns = new HashSet<string>(options.Policy.Text, StringComparer.Ordinal);
        // Identifiers and timestamps differ between any two periods by construction; test them only when named explicitly.
        if (options.Columns is null)
        {
            foreach (var name in candidates.Where(n => !textColumns.Contains(n)))
            {
                if (SkipReason(reference.Find(name)!, current.Find(name)!, minSamples) is { } reason)
                {
                    skipped.Add(new SkippedColumn(name, reason) { Overridable = true });
                }
            }
        }
        var tested = candidates.Where(n => !skipped.Exists(k => k.Column == n)).ToList();
        var forced = new DriftTestKind?[tested.Count];
        for (var i = 0; i < tested.Count; i++)
        {
            // Checked here, not inside Parallel.For, so a bad request surfaces as one DataException rather than an AggregateException.
            forced[i] = textColumns.Contains(tested[i]) ? null : Forced(tested[i], options.Policy);
            if (
                forced[i] is { } kind
                && !DriftTests.Of(kind).Takes(ColumnKind.Categorical)
                && !(reference.Find(tested[i]) is NumericColumn && current.Find(tested[i]) is NumericColumn)
            )
            {
                throw new DataException(
                    $"column '{tested[i]}' holds categories, so the {DriftTests.Name(kind)} test cannot run on it; use {DriftTests.NamesFor(ColumnKind.Categorical)} for it"
                );
            }
        }
        var tests = new ColumnDrift[tested.Count];
        var changes = new List<SchemaChange>[tested.Count];
        var texts = new TextColumnDrift?[tested.Count];
        Parallel.For(0, tested.Count, i =>
        {
            changes[i] = [];
            if (textColumns.Contains(tested[i]))
            {
                (tests[i], texts[i]) = TextDrift.Analyze(
                    reference.Find(tested[i])!,
                    current.Find(tested[i])!,
                    options.TextEmbedder,
                    Math.Max(4, options.TextSample),
                    minSamples
                );
                return;
            }
            tests[i] = AnalyzeColumn(
                reference.Find(tested[i])!,
                current.Find(tested[i])!,
                forced[i],
                options.NullShareJump,
                minSamples,
                changes[i]
            );
        });
        foreach (var c in changes)
        {
            schema.AddRange(c);
        }
        // In the order asked for: a missing column keeps its place among the tested ones.
        var byName = tests.Concat(unjudged).ToDictionary(c => c.Column, StringComparer.Ordinal);
        var results = names.Where(byName.ContainsKey).Select(n => byName[n]).ToList();
        var judged = results.Count(r => r.DriftVerdict is not null);
        var drifted = results.Count(r => r.Drift);
        var share = judged == 0 ? 0 : (double)drifted / judged;
        var breaks = results.Where(r => r.Drift && r.Test == DriftTests.Schema).ToList();
        var datasetDrift = breaks.Count > 0 || (judged > 0 && share >= 0.5);
        var statements = new List<string>
        {
            Headline(results.Count, judged, drifted, share, datasetDrift, breaks, minSamples),
        };
        statements.AddRange(results.Where(r => r.Drift).Select(r => $"'{r.Column}' drifted: {r.Meaning ?? r.Reason}."));
        var textDetails = texts.OfType<TextColumnDrift>().ToList();
        statements.AddRange(
            textDetails.SelectMany(t =>
                t.Descriptors.Where(d => d.Drift)
                    .Select(d => $"'{d.Column}' (describing the texts of '{t.Column}') drifted: {d.Meaning}.")
            )
        );
        statements.AddRange(schema.Select(s => $"Schema: {s.Detail}."));
        statements.AddRange(skipped.Select(k => $"Not tested: '{k.Column}', {k.Reason}."));
        return new DriftReport
        {
            Feature = options.Feature,
            ReferenceRows = reference.RowCount,
            CurrentRows = current.RowCount,
            Columns = results,
            DriftedShare = share,
            DatasetDrift = datasetDrift,
            NotJudged = results.Count - judged,
            MinSamples = minSamples,
            Schema = schema,
            Statements = statements,
            Skipped = skipped,
            Text = textDetails,
        };
    }

    private static string Headline(
        int columns,
        int judged,
        int drifted,
        double share,
        bool datasetDrift,
        List<ColumnDrift> breaks,
        int minSamples
    )
    {
        if (columns == 0)
        {
            return "No column could be tested: the two data sets share none of the columns asked for.";
        }
        var notJudged = columns - judged;
        var unjudged =
            notJudged == 0
                ? string.Empty
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"; {notJudged} column{(notJudged == 1 ? string.Empty : "s")} could not be judged (fewer than {minSamples} values on a side, or not in the reference)"
                );
        if (judged == 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"None of the {columns} columns could be judged (fewer than {minSamples} values on a side, or not in the reference), so whether the data set drifted cannot be said yet; send more data or lower min_samples."
            );
        }
        var verdict =
            breaks.Count > 0
                ? "the data set as a whole has drifted: "
                    + string.Join(
                        ", ",
                        breaks.Select(b =>
                            b.Reason!.StartsWith("missing", StringComparison.Ordinal)
                                ? $"'{b.Column}' is missing from the current data"
                                : $"'{b.Column}' changed type"
                        )
                    )
            : datasetDrift ? "the data set as a whole has drifted"
            : "the data set as a whole has not drifted";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{drifted} of {judged} columns drifted ({Phrasing.Percent(share)}){unjudged}; {verdict}."
        );
    }

    /// <summary>A column judged by its schema alone (absent from one side, or of another type now): no statistic, the reason instead.</summary>
    private static ColumnDrift SchemaEntry(
        string name,
        Column? reference,
        Column? current,
        bool drift,
        string reason
    ) =>
        new()
        {
            Column = name,
            Kind = (reference ?? current) is { } c ? Kind(c.Kind) : "unknown",
            Test = DriftTests.Schema,
            Statistic = double.NaN,
            Threshold = double.NaN,
            Drift = drift,
            Reason = reason,
            ReferenceN = Present(reference),
            CurrentN = Present(current),
        };

    private static int Present(Column? column) => column is null ? 0 : column.Count - column.MissingCount;

    internal static ColumnDrift AnalyzeColumn(
        Column reference,
        Column current,
        DriftTestKind? forced,
        double nullShareJump,
        int minSamples,
        List<SchemaChange> schema
    )
    {
        var name = reference.Name;
        var refMissing = reference.Count == 0 ? 0 : (double)reference.MissingCount / reference.Count;
        var curMissing = current.Count == 0 ? 0 : (double)current.MissingCount / current.Count;
        if (Math.Abs(curMissing - refMissing) >= nullShareJump)
        {
            schema.Add(
                new SchemaChange(
                    name,
                    "null_share_jump",
                    $"'{name}' is missing in {Phrasing.Percent(curMissing)} of current rows against {Phrasing.Percent(refMissing)} of reference rows"
                )
            );
        }
        // A type change is drift, and the values are not compared as if they meant the same (a side with no values has no type to speak of).
        if (reference.Kind != current.Kind && Present(reference) > 0 && Present(current) > 0)
        {
            var detail =
                $"was {TypeWord(reference.Kind)} in the reference and is {TypeWord(current.Kind)} now{Example(reference, current)}";
            schema.Add(new SchemaChange(name, "type_changed", $"'{name}' {detail}"));
            return SchemaEntry(
                name,
                reference,
                current,
                drift: true,
                $"{detail}: a schema change, which counts as drift; its values are not compared as if they meant the same"
            );
        }
        var column = TestColumn(reference, current, forced, schema);
        if (column.ReferenceN >= minSamples && column.CurrentN >= minSamples)
        {
            return column;
        }
        return column with
        {
            Statistic = double.NaN,
            PValue = null,
            Drift = false,
            Meaning = null,
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"not enough data: {column.CurrentN:#,0} value{(column.CurrentN == 1 ? string.Empty : "s")} in the current data and {column.ReferenceN:#,0} in the reference, and at least {minSamples:#,0} on each side are needed to judge drift (min_samples)"
            ),
        };
    }

    private static ColumnDrift TestColumn(
        Column reference,
        Column current,
        DriftTestKind? forced,
        List<SchemaChange> schema
    )
    {
        var name = reference.Name;
        if (reference is NumericColumn rn && current is NumericColumn cn)
        {
            // Sorted copies in pooled buffers: each worker reuses the same memory column after column.
            var refBuffer = ArrayPool<double>.Shared.Rent(rn.Count);
            var curBuffer = ArrayPool<double>.Shared.Rent(cn.Count);
            try
            {
                return AnalyzeNumeric(
                    name,
                    refBuffer.AsSpan(0, rn.SortPresentValuesInto(refBuffer)),
                    curBuffer.AsSpan(0, cn.SortPresentValuesInto(curBuffer)),
                    forced,
                    schema
                );
            }
            finally
            {
                ArrayPool<double>.Shared.Return(refBuffer);
                ArrayPool<double>.Shared.Return(curBuffer);
            }
        }
        var (refCounts, curCounts, cats) = CountCategories(reference, current);
        ReportUnseen(name, refCounts, curCounts, cats, schema);
        return BuildCategorical(name, "categorical", refCounts, curCounts, cats, forced);
    }

    /// <summary>For a type change, a value of the text side that is not a number, so the reader sees what broke.</summary>
    private static string Example(Column reference, Column current)
    {
        var text = (reference as CategoricalColumn) ?? (current as CategoricalColumn);
        var odd = text?.Categories.FirstOrDefault(v =>
            !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        );
        return odd is null ? string.Empty : $" (for example '{odd}')";
    }

    private static ColumnDrift AnalyzeNumeric(
        string name,
        ReadOnlySpan<double> refSorted,
        ReadOnlySpan<double> curSorted,
        DriftTestKind? forced,
        List<SchemaChange> schema
    )
    {
        // Few distinct values make a number a category (DESIGN.md), unless a numeric test is forced on it.
        var test = forced is { } kind ? DriftTests.Of(kind) : null;
        var categorical =
            test?.Takes(ColumnKind.Numeric) == false
            || (
                (test is null || test.Takes(ColumnKind.Categorical))
                && CountDistinctUpTo(refSorted, LowCardinality + 1) <= LowCardinality
            );
        if (!categorical)
        {
            var result = NumericDrift.Run(refSorted, curSorted, forced);
            return Build(name, "numeric", result, refSorted.Length, curSorted.Length, Histogram(refSorted, curSorted));
        }
        var (rc, cc, labels) = CountValues(refSorted, curSorted);
        ReportUnseen(name, rc, cc, labels, schema);
        return BuildCategorical(name, "numeric", rc, cc, labels, forced);
    }

    private static void ReportUnseen(
        string name,
        long[] refCounts,
        long[] curCounts,
        List<string> labels,
        List<SchemaChange> schema
    )
    {
        var unseen = new List<string>();
        long unseenRows = 0,
            currentRows = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            currentRows += curCounts[i];
            if (refCounts[i] == 0 && curCounts[i] > 0)
            {
                unseen.Add(labels[i]);
                unseenRows += curCounts[i];
            }
        }
        if (unseen.Count > 0)
        {
            var shown = string.Join(", ", unseen.Take(5).Select(u => $"'{u}'"));
            var more =
                unseen.Count > 5
                    ? string.Create(CultureInfo.InvariantCulture, $" and {unseen.Count - 5} more")
                    : string.Empty;
            schema.Add(
                new SchemaChange(
                    name,
                    "unseen_categories",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"'{name}' has {unseen.Count} value{(unseen.Count == 1 ? string.Empty : "s")} never seen in the reference ({shown}{more}), in {Phrasing.Percent((double)unseenRows / Math.Max(1, currentRows))} of current rows"
                    )
                )
            );
        }
    }

    private static ColumnDrift BuildCategorical(
        string name,
        string kind,
        long[] refCounts,
        long[] curCounts,
        IReadOnlyList<string> labels,
        DriftTestKind? forced
    )
    {
        var result = CategoricalDrift.Run(refCounts, curCounts, forced);
        return Build(name, kind, result, Sum(refCounts), Sum(curCounts), Shares(refCounts, curCounts, labels));
    }

    private static ColumnDrift Build(
        string name,
        string kind,
        ColumnDriftResult result,
        long refN,
        long curN,
        DistributionSummary distribution
    ) =>
        new()
        {
            Column = name,
            Kind = kind,
            Test = DriftTests.Name(result.Test),
            Statistic = result.Statistic,
            PValue = result.PValue,
            Threshold = result.Threshold,
            Drift = result.Drift,
            Meaning = DriftMeaning.Of(result),
            ReferenceN = refN,
            CurrentN = curN,
            Distribution = distribution,
        };

    private static string Kind(ColumnKind kind) => kind == ColumnKind.Numeric ? "numeric" : "categorical";

    // In sentences a categorical column is "text": that is what a type change looks like in the file.
    private static string TypeWord(ColumnKind kind) => kind == ColumnKind.Numeric ? "numeric" : "text";

    /// <summary>Numbers with at most this many distinct reference values are tested as categories (DESIGN.md).</summary>
    private const int LowCardinality = 5;

    // A column named in the policy takes its own choice (auto included); the others take the policy's test.
    private static DriftTestKind? Forced(string column, DriftPolicy policy) =>
        policy.Columns.TryGetValue(column, out var chosen) ? chosen : policy.Test;

    private static long Sum(long[] counts)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        return total;
    }

    private static int CountDistinctUpTo(ReadOnlySpan<double> sorted, int cap)
    {
        var distinct = 0;
        for (var i = 0; i < sorted.Length && distinct < cap; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                distinct++;
            }
        }
        return distinct;
    }

    /// <summary>Counts of each distinct value in either sample, by one merge of the sorted arrays: O(n) whatever the number of distinct values.</summary>
    private static (long[] Ref, long[] Cur, List<string> Labels) CountValues(
        ReadOnlySpan<double> refSorted,
        ReadOnlySpan<double> curSorted
    )
    {
        var r = new List<long>();
        var c = new List<long>();
        var labels = new List<string>();
        int i = 0,
            j = 0;
        while (i < refSorted.Length || j < curSorted.Length)
        {
            var v =
                i < refSorted.Length && (j >= curSorted.Length || refSorted[i] <= curSorted[j])
                    ? refSorted[i]
                    : curSorted[j];
            var start = i;
            while (i < refSorted.Length && refSorted[i] == v)
            {
                i++;
            }
            var curStart = j;
            while (j < curSorted.Length && curSorted[j] == v)
            {
                j++;
            }
            r.Add(i - start);
            c.Add(j - curStart);
            labels.Add(NumericColumn.Format(v));
        }
        return ([.. r], [.. c], labels);
    }

    /// <summary>Counts per category name over both columns; categorical columns are counted by code, never by row text.</summary>
    private static (long[] Ref, long[] Cur, List<string> Labels) CountCategories(Column reference, Column current)
    {
        var labels = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var refByLabel = CountByLabel(reference, labels, index);
        var curByLabel = CountByLabel(current, labels, index);
        var r = new long[labels.Count];
        var c = new long[labels.Count];
        refByLabel.CopyTo(r);
        curByLabel.CopyTo(c);
        return (r, c, labels);
    }

    private static List<long> CountByLabel(Column column, List<string> labels, Dictionary<string, int> index)
    {
        var counts = new List<long>();
        void Add(string label, long count)
        {
            var code = Intern(label, labels, index);
            while (counts.Count <= code)
            {
                counts.Add(0);
            }
            counts[code] += count;
        }
        if (column is CategoricalColumn cat)
        {
            var byCode = cat.CountsByCode();
            for (var k = 0; k < byCode.Length; k++)
            {
                Add(cat.Categories[k], byCode[k]);
            }
            return counts;
        }
        // A numeric column compared with a categorical one (its type changed): compare the values as text.
        for (var row = 0; row < column.Count; row++)
        {
            if (column.Text(row) is { } text)
            {
                Add(text, 1);
            }
        }
        return counts;
    }

    private static int Intern(string value, List<string> labels, Dictionary<string, int> index)
    {
        if (!index.TryGetValue(value, out var code))
        {
            code = labels.Count;
            labels.Add(value);
            index[value] = code;
        }
        return code;
    }

    private static DistributionSummary Histogram(ReadOnlySpan<double> refSorted, ReadOnlySpan<double> curSorted)
    {
        const int bins = 20;
        if (refSorted.Length == 0 || curSorted.Length == 0)
        {
            return new DistributionSummary
            {
                Bins = [],
                Reference = [],
                Current = [],
            };
        }
        var lo = Math.Min(Bootstrap.Quantile(refSorted, 0.01), Bootstrap.Quantile(curSorted, 0.01));
        var hi = Math.Max(Bootstrap.Quantile(refSorted, 0.99), Bootstrap.Quantile(curSorted, 0.99));
        if (hi <= lo)
        {
            hi = lo + 1;
        }
        var width = (hi - lo) / bins;
        double[] Count(ReadOnlySpan<double> values)
        {
            var shares = new double[bins];
            foreach (var v in values)
            {
                var b = (int)Math.Clamp(Math.Floor((v - lo) / width), 0, bins - 1);
                shares[b]++;
            }
            for (var i = 0; i < bins; i++)
            {
                shares[i] /= values.Length;
            }
            return shares;
        }
        // Lower edges to three significant digits: enough to read a chart's axis, short enough to fit under a bar.
        var labels = Enumerable.Range(0, bins).Select(i => Phrasing.Number(Significant(lo + (i * width), 3))).ToList();
        return new DistributionSummary
        {
            Bins = labels,
            Reference = Count(refSorted),
            Current = Count(curSorted),
        };
    }

    private static DistributionSummary Shares(long[] refCounts, long[] curCounts, IReadOnlyList<string> labels)
    {
        const int top = 12;
        double refTotal = Math.Max(1, Sum(refCounts));
        double curTotal = Math.Max(1, Sum(curCounts));
        var order = new int[labels.Count];
        var weight = new double[labels.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            weight[i] = -((refCounts[i] / refTotal) + (curCounts[i] / curTotal));
        }
        Array.Sort(weight, order);
        var shown = Math.Min(top, order.Length);
        var bins = new List<string>(shown + 1);
        var r = new List<double>(shown + 1);
        var c = new List<double>(shown + 1);
        for (var k = 0; k < shown; k++)
        {
            bins.Add(labels[order[k]]);
            r.Add(refCounts[order[k]] / refTotal);
            c.Add(curCounts[order[k]] / curTotal);
        }
        if (order.Length > top)
        {
            long restRef = 0,
                restCur = 0;
            for (var k = top; k < order.Length; k++)
            {
                restRef += refCounts[order[k]];
                restCur += curCounts[order[k]];
            }
            bins.Add("(other)");
            r.Add(restRef / refTotal);
            c.Add(restCur / curTotal);
        }
        return new DistributionSummary
        {
            Bins = bins,
            Reference = r,
            Current = c,
        };
    }

    private static double Significant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }
        var decimals = digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return decimals >= 0
            ? Math.Round(value, Math.Min(decimals, 15))
            : Math.Round(value / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals);
    }

    /// <summary>
    /// Why a column should not be tested by default, or null: an identifier (a text column with a distinct value in
    /// nine reference rows of ten or more, over at least 100 rows; or any column in which no value occurs twice, in
    /// either data set or across the two), or a timestamp (text values that read as dates): both differ between any
    /// two periods by construction. Numbers count as an id only when they are whole, so a continuous measure whose
    /// values rarely repeat is still tested.
    /// </summary>
    private static string? SkipReason(Column reference, Column current, int minSamples)
    {
        if (reference is CategoricalColumn c)
        {
            var present = c.Count - c.MissingCount;
            if (present >= 100 && c.Categories.Count >= 0.9 * present)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"an identifier ({c.Categories.Count:#,0} distinct values in {present:#,0} reference rows); to test it anyway, name it among the columns to test"
                );
            }
            if (
                c.Categories.Count >= 20
                && c.Categories.Take(5)
                    .All(v =>
                        v.Length >= 8
                        && DateTimeOffset.TryParse(
                            v,
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal,
                            out _
                        )
                    )
            )
            {
                return "a timestamp, which moves on by construction; compare time windows instead, or to test it anyway, name it among the columns to test";
            }
        }
        var enough = Math.Max(2, minSamples);
        return Present(reference) >= enough && Present(current) >= enough && AllDistinct(reference, current)
            ? "skipped: every value is distinct, on each side and across the two, so it looks like an id; to test it anyway, name it among the columns to test"
            : null;
    }

    /// <summary>True when no value occurs twice over both columns (numbers: and every one is whole); stops at the first repeat, so ordinary columns cost little.</summary>
    private static bool AllDistinct(Column reference, Column current)
    {
        if (reference is CategoricalColumn rc && current is CategoricalColumn cc)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cat in new[] { rc, cc })
            {
                var counts = cat.CountsByCode();
                for (var k = 0; k < counts.Length; k++)
                {
                    if (counts[k] > 1 || (counts[k] == 1 && !seen.Add(cat.Categories[k])))
                    {
                        return false;
                    }
                }
            }
            return true;
        }
        if (reference is not NumericColumn rn || current is not NumericColumn cn)
        {
            return false;
        }
        var numbers = new HashSet<double>();
        foreach (var values in new[] { rn, cn })
        {
            foreach (var v in values.Values)
            {
                if (!double.IsNaN(v) && (v != Math.Floor(v) || !numbers.Add(v)))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
