using System.Globalization;
using System.Text.Json;
using Json.Schema;
using Overlap.Core.Contracts;
using Overlap.Core.Data;

namespace Overlap.Core.Generative;

/// <summary>
/// Every case of a generative evaluation judged on its own: each check's outcome, each criterion's grade (a person's
/// from the <c>rubric.&lt;name&gt;</c> column, else a trusted model judge's), and whether the output is acceptable:
/// yes when every needed check and criterion passes, no when one fails and the rest are known, and unknown (left out
/// of <c>acceptable_rate</c>) when any needed one has no result.
/// </summary>
internal sealed class GenerativeCases
{
    private GenerativeCases(int count, string?[] outputs, string?[] ids)
    {
        Count = count;
        Outputs = outputs;
        Ids = ids;
    }

    /// <summary>The number of cases (rows).</summary>
    public int Count { get; }

    /// <summary>Each case's output, null when missing.</summary>
    public string?[] Outputs { get; }

    /// <summary>Each case's id, null when the contract names none.</summary>
    public string?[] Ids { get; }

    /// <summary>Check name → outcome per case.</summary>
    public Dictionary<string, CheckOutcome[]> Checks { get; } = new(StringComparer.Ordinal);

    /// <summary>Criterion name → grade per case (null: ungraded).</summary>
    public Dictionary<string, int?[]> Grades { get; } = new(StringComparer.Ordinal);

    /// <summary>Acceptable per case: true, false, or null when a needed result is missing.</summary>
    public bool?[] Acceptable { get; private set; } = [];

    /// <summary>How many cases each needed check or criterion left without a result.</summary>
    public Dictionary<string, int> Missing { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The columns a generative evaluation reads, and their rules; for a <paramref name="baseline"/> file (the same
    /// cases from another prompt or model), only the id and output must be there.
    /// </summary>
    public static TableReadOptions ReadOptions(Contract contract, string source, bool baseline = false)
    {
        var c = contract.Columns;
        var spec = contract.Generative!;
        var rules = new Dictionary<string, ColumnRule>(StringComparer.Ordinal);
        void Text(string? name, string role)
        {
            if (name is not null)
            {
                rules.TryAdd(name, new ColumnRule(ColumnKind.Categorical, Role: role));
            }
        }
        void Number(string? name, string role)
        {
            if (name is not null)
            {
                rules.TryAdd(name, new ColumnRule(ColumnKind.Numeric, Min: 0, Role: role));
            }
        }
        Text(c.Id, "id");
        Text(c.Output, "output");
        Text(c.Input, "input");
        Text(c.Reference, "reference");
        Text(c.Tags, "tags");
        foreach (var check in spec.Checks.Where(k => k.Column is not null))
        {
            Text(check.Column, "similar_to");
        }
        foreach (var criterion in spec.Rubric)
        {
            Text(GradeColumn(criterion.Name), "grade");
        }
        Number(c.Tokens, "tokens");
        Number(c.Cost, "cost");
        Number(c.LatencyMs, "latency_ms");
        foreach (var s in c.Segments)
        {
            rules.TryAdd(s, new ColumnRule(Role: "segment"));
        }
        return new TableReadOptions
        {
            Columns = [.. rules.Keys],
            Optional = baseline
                ? [.. rules.Keys.Where(k => k != c.Output && k != c.Id)]
                : [.. spec.Rubric.Select(r => GradeColumn(r.Name))],
            Rules = rules,
            Source = source,
        };
    }

    /// <summary>The data column that holds people's grades on a criterion.</summary>
    public static string GradeColumn(string criterion, string? suffix = null) =>
        suffix is null ? "rubric." + criterion : $"rubric.{criterion}.{suffix}";

    /// <summary>Judges every case of <paramref name="table"/>.</summary>
    /// <exception cref="DataException">A column the contract needs is missing, or a grade is not on its scale.</exception>
    public static GenerativeCases Judge(
        Contract contract,
        Table table,
        GenerativeOptions options,
        CancellationToken cancellationToken = default
    )
    {
        var spec = contract.Generative!;
        var n = table.RowCount;
        var output = table.Find(contract.Columns.Output!)
            ?? throw new DataException(
                $"{table.Source} has no output column '{contract.Columns.Output}'; rename the column or fix columns.output in the contract"
            );
        var ids = new string?[n];
        if (contract.Columns.Id is { } idName && table.Find(idName) is { } idColumn)
        {
            for (var i = 0; i < n; i++)
            {
                ids[i] = idColumn.Text(i);
            }
        }
        var outputs = new string?[n];
        for (var i = 0; i < n; i++)
        {
            outputs[i] = output.Text(i);
        }
        var cases = new GenerativeCases(n, outputs, ids);
        foreach (var check in spec.Checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            cases.Checks[check.Name] = RunCheck(check, table, outputs, options, cancellationToken);
        }
        foreach (var criterion in spec.Rubric)
        {
            cases.Grades[criterion.Name] = ReadGrades(criterion, table, ids, options);
        }
        cases.Decide(spec);
        return cases;
    }

    private static CheckOutcome[] RunCheck(
        OutputCheck check,
        Table table,
        string?[] outputs,
        GenerativeOptions options,
        CancellationToken cancellationToken
    )
    {
        if (check.Kind == OutputCheckKind.SimilarTo)
        {
            var embedder = options.Embedder
                ?? throw new DataException(
                    $"check '{check.Name}' (similar_to) needs a sentence-embedding model and none is available; install the embeddings or remove the check"
                );
            var other = table.Find(check.Column!)
                ?? throw new DataException(
                    $"check '{check.Name}' compares with column '{check.Column}', which {table.Source} does not have; add the column or fix 'similar_to'"
                );
            var others = new string?[outputs.Length];
            for (var i = 0; i < others.Length; i++)
            {
                others[i] = other.Text(i);
            }
            return OutputChecks.SimilarTo(check, outputs, others, embedder, cancellationToken);
        }
        JsonSchema? schema = null;
        if (check.Kind == OutputCheckKind.JsonSchema)
        {
            var text = options.Schemas.GetValueOrDefault(check.SchemaPath!)
                ?? throw new ArgumentException(
                    $"The schema '{check.SchemaPath}' of check '{check.Name}' was not handed in (GenerativeOptions.Schemas).",
                    nameof(options)
                );
            schema = OutputChecks.Schema(text, check.SchemaPath!);
        }
        var results = new CheckOutcome[outputs.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            results[i] = OutputChecks.Run(check, outputs[i], schema);
        }
        return results;
    }

    private static int?[] ReadGrades(RubricCriterion criterion, Table table, string?[] ids, GenerativeOptions options)
    {
        var grades = new int?[table.RowCount];
        if (table.Find(GradeColumn(criterion.Name, options.GradeSuffix)) is { } column)
        {
            for (var i = 0; i < grades.Length; i++)
            {
                if (column.Text(i) is { } text)
                {
                    grades[i] = ParseGrade(criterion, text)
                        ?? throw new DataException(
                            $"{table.Source}: data row {i + 1} has '{text}' in column '{column.Name}'; write {(criterion.Scale == RubricScale.PassFail ? "pass or fail" : "a whole grade from 1 to 5")}, or leave it empty when the output was not graded"
                        );
                }
            }
        }
        if (!options.TrustedCriteria.Contains(criterion.Name))
        {
            return grades;
        }
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] is { } id)
            {
                byId.TryAdd(id, i);
            }
        }
        foreach (var g in options.ModelGrades)
        {
            if (
                g is { Source: GradeSource.Model, Grade: { } grade }
                && g.Criterion == criterion.Name
                && byId.TryGetValue(g.OutputId, out var row)
                && grades[row] is null
            )
            {
                grades[row] = grade;
            }
        }
        return grades;
    }

    /// <summary>
    /// People's grades in <paramref name="table"/>'s <c>rubric.&lt;name&gt;</c> columns, one per graded output and
    /// criterion, by the output's id (rows without an id are left out: a grade is matched to a model's by id); with
    /// <paramref name="gradeSuffix"/>, from the <c>rubric.&lt;name&gt;.&lt;suffix&gt;</c> columns of a matrix column.
    /// </summary>
    /// <exception cref="DataException">A grade is not on its criterion's scale.</exception>
    public static IReadOnlyList<RubricGrade> PeopleGrades(Contract contract, Table table, string? gradeSuffix = null)
    {
        var spec = contract.Generative!;
        var idColumn = contract.Columns.Id is { } idName ? table.Find(idName) : null;
        var ids = new string?[table.RowCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = idColumn?.Text(i);
        }
        var grades = new List<RubricGrade>();
        foreach (var criterion in spec.Rubric)
        {
            var read = ReadGrades(criterion, table, ids, new GenerativeOptions { GradeSuffix = gradeSuffix });
            for (var i = 0; i < read.Length; i++)
            {
                if (ids[i] is { } id && read[i] is { } grade)
                {
                    grades.Add(new RubricGrade(id, criterion.Name, grade, GradeSource.Person));
                }
            }
        }
        return grades;
    }

    /// <summary>A person's grade as written in the data: pass/fail (also yes/no, true/false, 1/0) or a whole 1–5.</summary>
    internal static int? ParseGrade(RubricCriterion criterion, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (criterion.Scale == RubricScale.PassFail)
        {
            return t switch
            {
                "pass" or "yes" or "true" or "1" => 1,
                "fail" or "no" or "false" or "0" => 0,
                _ => null,
            };
        }
        return
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            && v is >= 1 and <= 5
            && v == Math.Floor(v)
            ? (int)v
            : null;
    }

    private void Decide(GenerativeSpec spec)
    {
        var needed = spec.AcceptableNames;
        var acceptable = new bool?[Count];
        foreach (var name in needed)
        {
            Missing[name] = 0;
        }
        for (var i = 0; i < Count; i++)
        {
            var known = true;
            var passed = true;
            foreach (var name in needed)
            {
                var result = Passed(spec, name, i);
                if (result is null)
                {
                    known = false;
                    Missing[name]++;
                }
                else
                {
                    passed &= result.Value;
                }
            }
            acceptable[i] = known ? passed : null;
        }
        Acceptable = acceptable;
    }

    /// <summary>Whether case <paramref name="row"/> passed a check or criterion; null without a result.</summary>
    public bool? Passed(GenerativeSpec spec, string name, int row)
    {
        if (Checks.TryGetValue(name, out var outcomes))
        {
            return outcomes[row].Passed;
        }
        var criterion = spec.Rubric.First(r => r.Name == name);
        return Grades[name][row] is { } g ? criterion.Passes(g) : null;
    }

    /// <summary>Every check and criterion case <paramref name="row"/> failed, with why.</summary>
    public List<string> Failures(GenerativeSpec spec, int row)
    {
        var list = new List<string>();
        foreach (var check in spec.Checks)
        {
            if (Checks[check.Name][row] is { Passed: false, Why: var why })
            {
                list.Add($"{check.Name}: {why}");
            }
        }
        foreach (var criterion in spec.Rubric)
        {
            if (Grades[criterion.Name][row] is { } g && !criterion.Passes(g))
            {
                list.Add(
                    criterion.Scale == RubricScale.PassFail
                        ? $"{criterion.Name}: graded fail ({criterion.Question})"
                        : string.Create(
                            CultureInfo.InvariantCulture,
                            $"{criterion.Name}: graded {g} of 5, passes at {criterion.PassAt} ({criterion.Question})"
                        )
                );
            }
        }
        return list;
    }

    /// <summary>The tags of every case: a JSON array of texts, or text split at ';' (blank tags dropped).</summary>
    public static string[][] Tags(Column? column, int count)
    {
        var tags = new string[count][];
        for (var i = 0; i < count; i++)
        {
            tags[i] = column?.Text(i) is { } text ? SplitTags(text) : [];
        }
        return tags;
    }

    internal static string[] SplitTags(string text)
    {
        var t = text.Trim();
        if (t.StartsWith('['))
        {
            try
            {
                return
                [
                    .. (JsonSerializer.Deserialize(t, GenerativeJsonContext.Default.StringArray) ?? [])
                        .Select(s => s?.Trim() ?? string.Empty)
                        .Where(s => s.Length > 0)
                        .Distinct(StringComparer.Ordinal),
                ];
            }
            catch (JsonException)
            {
                // Not a JSON array of texts after all: read it as ';'-separated text.
            }
        }
        return
        [
            .. t.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Distinct(StringComparer.Ordinal),
        ];
    }
}
