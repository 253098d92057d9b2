using System.Globalization;
using System.Text;
using Overlap.Core.Contracts;
using Overlap.Core.Timestamps;
using Overlap.Storage;
using Parquet;
using Parquet.Schema;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Production predictions as the next training or evaluation set: one row per prediction in the contract's column
/// names (id, time, label, score, prediction, latency, segments, features) plus model_version (and, when a guard ran
/// any of them, the workflow's route, attempts and failed checks joined by ';'), as CSV or Parquet, so
/// <c>overlap eval --contract overlap.yaml --data export.csv</c> reads it as it is.
/// </summary>
internal static class TrainingSetExport
{
    private sealed record ExportColumn(string Name, bool Numeric, Func<int, string?> Text);

    public static byte[] Csv(Contract contract, ProductionRows rows)
    {
        var columns = Columns(contract, rows);
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(c => Quote(Neutralise(c.Name)))).Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            csv.AppendJoin(',', columns.Select(c => Quote(Neutralise(c.Text(i) ?? string.Empty)))).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static async Task<byte[]> ParquetAsync(
        Contract contract,
        ProductionRows rows,
        CancellationToken cancellationToken
    )
    {
        var columns = Columns(contract, rows);
        var fields = columns
            .Select(c => c.Numeric ? (DataField)new DataField<double?>(c.Name) : new DataField<string>(c.Name))
            .ToArray();
        using var output = new MemoryStream();
        await using (
            var writer = await ParquetWriter
                .CreateAsync(new ParquetSchema(fields), output, cancellationToken: cancellationToken)
                .ConfigureAwait(false)
        )
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                if (column.Numeric)
                {
                    // Present values, and a definition level per row (1 present, 0 null), as Parquet stores an optional column.
                    var present = new List<double>(rows.Count);
                    var defined = new int[rows.Count];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        if (column.Text(i) is { } t)
                        {
                            present.Add(double.Parse(t, CultureInfo.InvariantCulture));
                            defined[i] = 1;
                        }
                    }
                    await group
                        .WriteAllPartsAsync(
                            fields[c],
                            new ReadOnlyMemory<double>([.. present]),
                            defined,
                            null,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                else
                {
                    string?[] texts = [.. Enumerable.Range(0, rows.Count).Select(column.Text)];
                    await group.WriteAsync(fields[c], texts).ConfigureAwait(false);
                }
            }
        }
        return output.ToArray();
    }

    private static List<ExportColumn> Columns(Contract contract, ProductionRows rows)
    {
        var c = contract.Columns;
        var regression = contract.Task == TaskKind.Regression;
        var columns = new List<ExportColumn>
        {
            new(c.Id ?? "id", false, i => rows.Ids[i]),
            new(c.Time ?? "time", false, i =>
                UnixMicroseconds
                    .ToTime(rows.TimesUs[i])
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            ),
            new(c.Label, regression, i => rows.Labels[i]),
        };
        if (c.Score is { } score)
        {
            columns.Add(new(score, true, i => Number(rows.Scores[i])));
        }
        if (c.Prediction is { } prediction)
        {
            columns.Add(new(prediction, regression, i => rows.Predictions[i]));
        }
        columns.Add(new(c.LatencyMs ?? "latency_ms", true, i => Number(rows.LatencyMs[i])));
        columns.Add(new("model_version", false, i => rows.ModelVersions[i]));
        if (rows.Workflows.Any(w => w is not null))
        {
            // What the contract's guard did with each call; empty for calls no guard ran. The reason stays out: it is
            // free text, shown on the review item of an escalated or abstained case.
            columns.Add(new("workflow_route", false, i => rows.Workflows[i]?.Route));
            columns.Add(
                new("workflow_attempts", true, i => rows.Workflows[i]?.Attempts.ToString(CultureInfo.InvariantCulture))
            );
            columns.Add(
                new("workflow_failed_checks", false, i =>
                    rows.Workflows[i] is { } w ? string.Join(';', w.FailedChecks) : null
                )
            );
        }
        foreach (var (name, values) in rows.Attributes)
        {
            if (columns.TrueForAll(x => x.Name != name))
            {
                // A column every present value of which is a number is written as numbers.
                var numeric =
                    values.All(v =>
                        v is null || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ) && values.Any(v => v is not null);
                columns.Add(new(name, numeric, i => values[i]));
            }
        }
        return columns;
    }

    private static string? Number(double value) =>
        double.IsNaN(value) ? null : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return, and not a plain
    /// number) gets a leading single quote, as OWASP advises for CSV injection; <see cref="Quote"/> then quotes it.
    /// A number such as -0.5 is left as it is, so numeric columns stay numbers.
    /// </summary>
    private static string Neutralise(string value) =>
        value.Length > 0
        && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value;

    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(
        ",\"\n\r\t'"
    );

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(NeedsQuotes) >= 0
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
}
