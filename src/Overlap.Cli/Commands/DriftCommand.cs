using System.CommandLine;
using Overlap.Cli.Output;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Reports;
using Overlap.Core.Text;
using Overlap.Embeddings;

namespace Overlap.Cli.Commands;

/// <summary><c>overlap drift --reference R --current C</c>: exit 0 when the data set has not drifted, 1 when it has (a missing column or a changed type included).</summary>
internal static class DriftCommand
{
    public static Command Create(CliIo io)
    {
        var reference = new Option<string>("--reference")
        {
            Description = "The reference data (.csv, .jsonl or .parquet, optionally .gz).",
            Required = true,
        };
        var current = new Option<string>("--current")
        {
            Description = "The current data to compare with it.",
            Required = true,
        };
        var contract = new Option<string?>("--contract", "-c")
        {
            Description = "A contract (overlap.yaml): its feature name, drift policy and feature columns are used.",
        };
        var columns = new Option<string?>("--columns")
        {
            Description = "Columns to test, comma-separated (default: the contract's features, or every column).",
        };
        var test = new Option<string>("--test")
        {
            Description = $"{DriftTests.WordList} for every column (default: the contract's policy, else auto).",
        };
        var text = new Option<string?>("--text")
        {
            Description =
                "Free-text columns, comma-separated (added to the contract's drift.text): judged on their sentence embeddings (all-MiniLM-L6-v2, run locally) by a domain classifier, with length, words, unknown words, non-ASCII letters and language beside it.",
        };
        var minSamples = new Option<int?>("--min-samples")
        {
            Description =
                $"Non-missing values each side needs before a column is judged (default: the contract's monitoring.min_samples, else {DriftOptions.DefaultMinSamples}); below it the column is 'not enough data'.",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "What to print: text, json, markdown, junit or html.",
            DefaultValueFactory = _ => "text",
        };
        var output = new Option<string[]>("--output", "-o")
        {
            Description = "Also write the report to this file, in the format its extension names; may repeat.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command(
            "drift",
            "Compare current data with a reference, column by column; exit 1 when the data set has drifted."
        )
        {
            reference,
            current,
            contract,
            columns,
            test,
            text,
            minSamples,
            format,
            output,
        };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var printFormat = ParseFormat(parse.GetValue(format)!);
                var outputs = (parse.GetValue(output) ?? [])
                    .Select(path => (path, ReportFormats.FromPath(path) ?? printFormat))
                    .ToList();
                var contractPath = parse.GetValue(contract);
                var parsedContract = contractPath is null ? null : InputFiles.ReadContract(contractPath);
                var policy = Policy(parse.GetValue(test), parsedContract);
                var minimum = parse.GetValue(minSamples)
                    ?? parsedContract?.Monitoring?.MinSamples
                    ?? DriftOptions.DefaultMinSamples;
                if (minimum < 1)
                {
                    throw new UserException(
                        ExitCodes.Usage,
                        $"--min-samples {minimum} is too small; give at least 1 (the default is {DriftOptions.DefaultMinSamples})"
                    );
                }
                // The two files are read at the same time, one per core; errors surface unwrapped, reference first.
                var referencePath = parse.GetValue(reference)!;
                var currentPath = parse.GetValue(current)!;
                var readReference = Task.Run(
                    () =>
                        InputFiles.ReadTable(
                            referencePath,
                            new TableReadOptions { Source = referencePath },
                            "reference data"
                        ),
                    cancellationToken
                );
                var readCurrent = Task.Run(
                    () =>
                        InputFiles.ReadTable(
                            currentPath,
                            new TableReadOptions { Source = currentPath },
                            "current data"
                        ),
                    cancellationToken
                );
                var referenceTable = await readReference.ConfigureAwait(false);
                var currentTable = await readCurrent.ConfigureAwait(false);
                var textColumns = TextColumns(parse.GetValue(text), policy, referenceTable);
                // Loaded only when there is text to embed: the model takes a second or two and 90 MB.
                using var embedder = textColumns.Count > 0 ? new MiniLmEmbedder() : null;
                var tested = Columns(parse.GetValue(columns), parsedContract, referenceTable);
                var options = new DriftOptions
                {
                    Feature = parsedContract?.Feature,
                    Policy = policy with { Text = textColumns },
                    TextEmbedder = embedder,
                    // A text column named on its own is tested even when the columns to test leave it out.
                    Columns = tested is null ? null : [.. tested.Union(textColumns, StringComparer.Ordinal)],
                    MinSamples = minimum,
                    Roles = parsedContract is null ? null : DriftOptions.RolesOf(parsedContract),
                };
                var report = DriftAnalyzer.Analyze(referenceTable, currentTable, options);
                report = report with
                {
                    // Core says a guessed skip is overridden by naming the column; here that is --columns.
                    Skipped =
                    [
                        .. report.Skipped.Select(s =>
                            s.Overridable ? s with { Reason = $"{s.Reason} (--columns)" } : s
                        ),
                    ],
                    Provenance = CliProvenance.For(
                        io,
                        contractPath,
                        [
                            InputFiles.Describe("reference", referencePath, referenceTable.RowCount),
                            InputFiles.Describe("current", currentPath, currentTable.RowCount),
                        ]
                    ),
                };
                foreach (var (path, fileFormat) in outputs)
                {
                    ReportWriter.WriteFile(path, ReportWriter.Render(report, fileFormat));
                }
                if (printFormat == ReportFormat.Text)
                {
                    TextReport.Write(io.OutConsole, report);
                }
                else
                {
                    io.Out.Write(ReportWriter.Render(report, printFormat));
                }
                return report.DatasetDrift ? ExitCodes.Fail : ExitCodes.Pass;
            }
        );
        return command;
    }

    private static ReportFormat ParseFormat(string name) =>
        ReportFormats.Parse(name)
        ?? throw new UserException(
            ExitCodes.Usage,
            $"unknown --format '{name}'; use text, json, markdown, junit or html"
        );

    private static DriftPolicy Policy(string? test, Contract? contract)
    {
        var policy = contract?.Drift ?? new DriftPolicy();
        if (test is null)
        {
            return policy;
        }
        if (!DriftTests.TryParse(test, out var kind))
        {
            throw new UserException(ExitCodes.Usage, $"unknown --test '{test}'; use {DriftTests.WordList}");
        }
        // --test overrides the contract for every column, its per-column choices included (its text columns stay).
        return new DriftPolicy { Test = kind, Text = policy.Text };
    }

    /// <summary>The contract's text columns and --text's, each checked against the reference data.</summary>
    private static List<string> TextColumns(string? option, DriftPolicy policy, Table reference)
    {
        var named = option?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (named is { Count: 0 })
        {
            throw new UserException(
                ExitCodes.Usage,
                "--text names no column; give a comma-separated list of text columns such as question,reply"
            );
        }
        var names = policy.Text.Concat(named ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names.Where(n => !reference.Has(n)))
        {
            var known = reference.Columns.Select(c => c.Name).ToList();
            var nearest = Suggestions.Nearest(name, known);
            throw new UserException(
                ExitCodes.DataError,
                $"'{name}' is named as a text column, but the reference data has no such column"
                    + (nearest is null ? $"; it has: {string.Join(", ", known)}" : $"; did you mean '{nearest}'?")
            );
        }
        return names;
    }

    /// <summary>--columns, else the contract's features (or every column but its id, time, label, score, prediction and latency), else null (all).</summary>
    private static List<string>? Columns(string? columns, Contract? contract, Table reference)
    {
        if (columns is not null)
        {
            var names = columns
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (names.Count == 0)
            {
                throw new UserException(
                    ExitCodes.Usage,
                    "--columns names no column; give a comma-separated list such as amount,channel"
                );
            }
            foreach (var name in names.Where(n => !reference.Has(n)))
            {
                var known = reference.Columns.Select(c => c.Name);
                var nearest = Suggestions.Nearest(name, known);
                throw new UserException(
                    ExitCodes.DataError,
                    nearest is null
                        ? $"--columns names '{name}', which the reference data does not have; it has: {string.Join(", ", known)}"
                        : $"--columns names '{name}', which the reference data does not have; did you mean '{nearest}'?"
                );
            }
            return names;
        }
        if (contract is null)
        {
            return null;
        }
        if (contract.Columns.Features is { Count: > 0 } features)
        {
            return [.. features];
        }
        var roles = DriftOptions.RolesOf(contract);
        return [.. reference.Columns.Select(c => c.Name).Where(n => !roles.ContainsKey(n))];
    }
}
