using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Generative;
using Overlap.Core.Statements;

namespace Overlap.Core.Evaluation;

// A generative contract's cases: checks, grades and acceptable per output, then every rate with its Wilson interval
// and every mean or percentile with the seeded percentile bootstrap, overall, per segment value and per tag.
public static partial class Evaluator
{
    /// <summary>
    /// People's grades in a generative case set's <c>rubric.&lt;name&gt;</c> columns, by output id: what a model judge's
    /// grades are compared with (<see cref="JudgeAgreement"/>). With <paramref name="gradeSuffix"/>, a matrix column's
    /// grades in <c>rubric.&lt;name&gt;.&lt;suffix&gt;</c> (<see cref="GradeSuffix"/>).
    /// </summary>
    /// <exception cref="DataException">A grade is not on its criterion's scale.</exception>
    public static IReadOnlyList<RubricGrade> PeopleGrades(Contract contract, Table table, string? gradeSuffix = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Generative is null ? [] : GenerativeCases.PeopleGrades(contract, table, gradeSuffix);
    }

    private static EvaluationReport EvaluateGenerative(Contract contract, Table table, EvaluationOptions options)
    {
        if (table.RowCount == 0)
        {
            throw new DataException("the data has a header but no rows; an evaluation needs the cases");
        }
        var spec = contract.Generative!;
        var cases = GenerativeCases.Judge(contract, table, options.Generative ?? new GenerativeOptions());
        var c = contract.Columns;
        var measures = new GenerativeMeasures(
            cases,
            spec,
            Values(table, c.Tokens, "tokens"),
            Values(table, c.Cost, "cost"),
            Values(table, c.LatencyMs, "latency_ms"),
            contract,
            options
        );
        var all = Enumerable.Range(0, table.RowCount).ToArray();
        var overall = measures.Metrics(all);
        var segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(StringComparer.Ordinal);
        var segmentNames = c
            .Segments.Concat(contract.Requirements.Select(r => r.By).OfType<string>())
            .Where(s => s != c.Tags)
            .Distinct(StringComparer.Ordinal);
        foreach (var name in segmentNames)
        {
            var segment = EvaluationInputs.Segment(Require(table, name, "segments"), all);
            var codes = segment.Codes.ToArray();
            segments[name] = Groups(segment.Values.Select((v, k) => (v, all.Where(r => codes[r] == k))), measures);
        }
        if (c.Tags is { } tagsName)
        {
            var tags = GenerativeCases.Tags(Require(table, tagsName, "tags"), table.RowCount);
            var names = tags.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            segments[tagsName] = Groups(names.Select(t => (t, all.Where(r => tags[r].Contains(t)))), measures);
        }
        var partial = new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "generative",
            Verdict = Verdict.Pass,
            N = table.RowCount,
            Confidence = contract.Confidence,
            Metrics = overall,
            Segments = segments,
            Requirements = [],
            Statements = [],
            WorstOutputs = Worst(cases, spec, options.Generative?.WorstCount ?? 10),
            Comparison = options.Baseline is { } baseline
                ? GenerativeComparison(contract, table, cases, baseline, options)
                : null,
        };
        return Finish(contract, partial, Lead(contract, cases, overall), options);
    }

    /// <summary>
    /// The candidate's outputs against a baseline's for the same cases (paired by id, else by position): McNemar on
    /// acceptable over the cases whose acceptable is known on both sides, and the paired bootstrap on each 1–5
    /// criterion's mean grade over the cases graded on both sides.
    /// </summary>
    private static ComparisonReport GenerativeComparison(
        Contract contract,
        Table table,
        GenerativeCases cases,
        Table baselineTable,
        EvaluationOptions options
    )
    {
        var all = Enumerable.Range(0, table.RowCount).ToArray();
        var paired = PairRows(contract, table, all, baselineTable);
        var baseline = GenerativeCases.Judge(contract, baselineTable, options.Generative ?? new GenerativeOptions());
        long n = 0,
            baselineYes = 0,
            candidateYes = 0,
            onlyBaseline = 0,
            onlyCandidate = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (baseline.Acceptable[paired[i]] is { } b && cases.Acceptable[i] is { } c)
            {
                n++;
                baselineYes += b ? 1 : 0;
                candidateYes += c ? 1 : 0;
                onlyBaseline += b && !c ? 1 : 0;
                onlyCandidate += c && !b ? 1 : 0;
            }
        }
        var differences = new List<MetricDifference>
        {
            McNemarAccuracy(
                onlyBaseline,
                onlyCandidate,
                n > 0 ? (double)baselineYes / n : double.NaN,
                n > 0 ? (double)candidateYes / n : double.NaN,
                contract.Confidence,
                "acceptable_rate"
            ),
        };
        foreach (var criterion in contract.Generative!.Rubric.Where(r => r.Scale == RubricScale.OneToFive))
        {
            var (a, b) = (baseline.Grades[criterion.Name], cases.Grades[criterion.Name]);
            var both = all.Where(i => a[paired[i]] is not null && b[i] is not null).ToArray();
            if (both.Length > 0)
            {
                differences.Add(
                    PairedMeans(
                        $"rubric.{criterion.Name}.mean",
                        [.. both.Select(i => (double)a[paired[i]]!.Value)],
                        [.. both.Select(i => (double)b[i]!.Value)],
                        x => x,
                        options,
                        contract.Confidence
                    )
                );
            }
        }
        return new ComparisonReport
        {
            N = n,
            Differences = differences,
            Statements = ComparisonStatements(differences, contract.Confidence, n),
        };
    }

    private static Dictionary<string, SegmentResult> Groups(
        IEnumerable<(string Value, IEnumerable<int> Rows)> groups,
        GenerativeMeasures measures
    )
    {
        var result = new Dictionary<string, SegmentResult>(StringComparer.Ordinal);
        foreach (var (value, rows) in groups)
        {
            var members = rows.ToArray();
            result[value] = new SegmentResult { N = members.Length, Metrics = measures.Metrics(members) };
        }
        return result;
    }

    private static double[]? Values(Table table, string? column, string role) =>
        column is null ? null : ((NumericColumn)Require(table, column, role)).Values.ToArray();

    /// <summary>The acceptable rate first, then one sentence per needed check or criterion some outputs lack.</summary>
    private static List<string> Lead(
        Contract contract,
        GenerativeCases cases,
        IReadOnlyDictionary<string, MetricValue> overall
    )
    {
        var words = contract.Words;
        var acceptable = overall["acceptable_rate"];
        var lead = new List<string>
        {
            Phrasing.Result(
                "acceptable_rate",
                acceptable.Value,
                acceptable.CiLow,
                acceptable.CiHigh,
                contract.Confidence,
                words
            ),
        };
        foreach (var (name, missing) in cases.Missing.Where(m => m.Value > 0))
        {
            lead.Add(
                $"{Phrasing.Capitalize(Phrasing.Count(missing, words.Output))} of {cases.Count:#,0} {(missing == 1 ? "has" : "have")} no result on {name}, so the acceptable rate rests on the {Phrasing.Count(acceptable.N, words.Output)} with every result it needs."
            );
        }
        return lead;
    }

    private static List<OutputFailure> Worst(GenerativeCases cases, GenerativeSpec spec, int count) =>
        [
            .. Enumerable
                .Range(0, cases.Count)
                .Select(r => (Row: r, Failed: cases.Failures(spec, r)))
                .Where(x => x.Failed.Count > 0)
                .OrderByDescending(x => x.Failed.Count)
                .ThenBy(x => x.Row)
                .Take(count)
                .Select(x => new OutputFailure(
                    cases.Ids[x.Row],
                    x.Row + 1,
                    cases.Outputs[x.Row] is { } o && o.Length > 200 ? o[..200] + "…" : cases.Outputs[x.Row],
                    x.Failed
                )),
        ];
}
