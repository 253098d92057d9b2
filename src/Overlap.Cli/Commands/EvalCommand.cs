using System.CommandLine;
using Overlap.Cli.Output;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Fairness;
using Overlap.Core.Generative;
using Overlap.Core.Provenance;
using Overlap.Core.Reports;
using Overlap.Core.Text;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap eval</c> (a report; exits by verdict) and <c>overlap gate</c> (the same as a release gate:
/// terse output, the Markdown report appended to GITHUB_STEP_SUMMARY when set).
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliIo io, bool gate)
    {
        var contract = new Option<string>("--contract", "-c")
        {
            Description = "The quality contract (overlap.yaml).",
            Required = true,
        };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Scored examples: .csv, .jsonl or .parquet (optionally .gz).",
            Required = true,
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "The same examples scored by the current model, to compare with (paired tests).",
        };
        var attributesFile = new Option<string?>("--attributes")
        {
            Description =
                "Binary with a fairness section: a file of the contract's id and sensitive attributes, joined to the data by id (the attributes need not be in the scored file).",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "What to print on stdout: text, json, markdown, junit or html.",
            DefaultValueFactory = _ => "text",
        };
        var output = new Option<string[]>("--output", "-o")
        {
            Description =
                "Also write a report file; the format follows the extension (.json, .md, .xml, .html, .txt). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var inconclusive = new Option<string>("--inconclusive")
        {
            Description = "How an inconclusive verdict exits: inconclusive (2), pass (0) or fail (1).",
            DefaultValueFactory = _ => "inconclusive",
        };
        var resamples = new Option<int>("--resamples")
        {
            Description = "Bootstrap resamples for non-proportion metrics.",
            DefaultValueFactory = _ => 1000,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Bootstrap seed; the same seed repeats a run exactly.",
            DefaultValueFactory = _ => EvaluationOptions.DefaultSeed,
        };
        var matrix = new Option<string?>("--outputs")
        {
            Description =
                "Generative only: several output columns (prompt versions × models) judged side by side, comma-separated, each by the checks, the rubric and the model judge; every format shows the matrix, and the exit code is the worst column's verdict.",
        };
        var noJudge = new Option<bool>("--no-judge")
        {
            Description =
                "Generative only: do not ask the contract's model judge (judges.model); people's grades and the checks still count.",
        };
        var judgeCache = new Option<string?>("--judge-cache")
        {
            Description =
                "Generative only: the folder of the model judge's cached answers (default ~/.cache/overlap/judge); a cached answer costs nothing.",
        };
        var description = gate
            ? "Judge a release against its contract: exit 0 pass, 1 fail, 2 not enough data yet. Appends the Markdown report to GITHUB_STEP_SUMMARY when set."
            : "Evaluate scored examples against a contract: every metric with its interval, per segment, thresholds, calibration, verdicts and statements.";
        var command = new Command(gate ? "gate" : "eval", description)
        {
            contract,
            data,
            baseline,
            attributesFile,
            format,
            output,
            inconclusive,
            resamples,
            seed,
            matrix,
            noJudge,
            judgeCache,
        };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var stdoutFormat = ParseFormat(parse.GetValue(format)!);
                var outputs = (parse.GetValue(output) ?? [])
                    .Select(path =>
                        (
                            Path: path,
                            Format: ReportFormats.FromPath(path)
                                ?? throw new UserException(
                                    ExitCodes.Usage,
                                    $"cannot tell the report format of '{path}' from its extension; use .json, .md, .xml, .html or .txt"
                                )
                        )
                    )
                    .ToList();
                var whenInconclusive = parse.GetValue(inconclusive) switch
                {
                    "inconclusive" => ExitCodes.Inconclusive,
                    "pass" => ExitCodes.Pass,
                    "fail" => ExitCodes.Fail,
                    var other => throw new UserException(
                        ExitCodes.Usage,
                        $"--inconclusive is '{other}'; use inconclusive, pass or fail"
                    ),
                };
                var n = parse.GetValue(resamples);
                if (n is < 100 or > 100_000)
                {
                    throw new UserException(
                        ExitCodes.Usage,
                        $"--resamples is {n}; use between 100 and 100000 (1000 is the default)"
                    );
                }
                var contractPath = parse.GetValue(contract)!;
                var parsed = InputFiles.ReadContract(contractPath);
                var dataPath = parse.GetValue(data)!;
                if (parse.GetValue(matrix) is { } columns)
                {
                    if (parse.GetValue(baseline) is not null)
                    {
                        throw new UserException(
                            ExitCodes.Usage,
                            "--outputs and --baseline do not go together; use one of them"
                        );
                    }
                    var run = new Run(io, gate, parsed, contractPath, stdoutFormat, outputs, n, parse.GetValue(seed));
                    return ExitFor(
                        await MatrixAsync(
                                run,
                                dataPath,
                                columns,
                                parse.GetValue(noJudge),
                                parse.GetValue(judgeCache),
                                cancellationToken
                            )
                            .ConfigureAwait(false),
                        whenInconclusive
                    );
                }
                var attributesPath = parse.GetValue(attributesFile);
                var readOptions = Evaluator.ReadOptions(parsed, dataPath);
                var table = InputFiles.ReadTable(
                    dataPath,
                    attributesPath is null ? readOptions : AttributeJoin.WithoutAttributes(parsed, readOptions)
                );
                var attributeRows = 0;
                if (attributesPath is not null)
                {
                    var attributeTable = InputFiles.ReadTable(
                        attributesPath,
                        AttributeJoin.ReadOptions(parsed, attributesPath),
                        "attributes file"
                    );
                    attributeRows = attributeTable.RowCount;
                    table = AttributeJoin.Join(parsed, table, attributeTable);
                }
                var baselinePath = parse.GetValue(baseline);
                var baselineTable = baselinePath is null
                    ? null
                    : InputFiles.ReadTable(
                        baselinePath,
                        Evaluator.BaselineReadOptions(parsed, baselinePath),
                        "baseline file"
                    );
                cancellationToken.ThrowIfCancellationRequested();
                GenerativeOptions? generative = null;
                ModelJudgeSummary? judged = null;
                if (parsed.Generative is not null)
                {
                    (generative, judged) = await EvalJudge
                        .RunAsync(
                            parsed,
                            table,
                            GenerativeInputs(io, parsed, contractPath),
                            parse.GetValue(noJudge),
                            parse.GetValue(judgeCache),
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                var report = Evaluator.Evaluate(
                    parsed,
                    table,
                    new EvaluationOptions
                    {
                        Resamples = n,
                        Seed = parse.GetValue(seed),
                        Baseline = baselineTable,
                        Generative = generative,
                    }
                );
                List<DataFileProvenance> files = [InputFiles.Describe("data", dataPath, table.RowCount)];
                if (attributesPath is not null)
                {
                    files.Add(InputFiles.Describe("attributes", attributesPath, attributeRows));
                }
                if (baselinePath is not null)
                {
                    files.Add(InputFiles.Describe("baseline", baselinePath, baselineTable!.RowCount));
                }
                report = report with
                {
                    Provenance = CliProvenance.For(io, contractPath, files, parse.GetValue(seed), n),
                    Judge = judged,
                };
                Emit(new Run(io, gate, parsed, contractPath, stdoutFormat, outputs, n, parse.GetValue(seed)), report);
                return ExitFor(report, whenInconclusive);
            }
        );
        return command;
    }

    /// <summary>What every way of running shares: where and how to write the report, and how it was made.</summary>
    private sealed record Run(
        CliIo Io,
        bool Gate,
        Contract Contract,
        string ContractPath,
        ReportFormat Format,
        List<(string Path, ReportFormat Format)> Files,
        int Resamples,
        ulong Seed
    );

    /// <summary>Writes the report files, then stdout (terse for the gate), then the gate's step summary.</summary>
    private static void Emit(Run run, EvaluationReport report)
    {
        foreach (var (path, fmt) in run.Files)
        {
            ReportWriter.WriteFile(path, ReportWriter.Render(report, fmt));
        }
        if (run.Format == ReportFormat.Text)
        {
            TextReport.Write(run.Io.OutConsole, report, terse: run.Gate);
        }
        else
        {
            run.Io.Out.Write(ReportWriter.Render(report, run.Format));
        }
        if (run.Gate && Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            AppendStepSummary(run.Io, summary, MarkdownReport.Write(report));
        }
        foreach (var (path, _) in run.Files)
        {
            run.Io.ErrWriter.WriteLine($"wrote {path}");
        }
    }

    private static int ExitFor(EvaluationReport report, int whenInconclusive) =>
        report.Verdict switch
        {
            Verdict.Pass => ExitCodes.Pass,
            Verdict.Fail => ExitCodes.Fail,
            _ => whenInconclusive,
        };

    /// <summary>
    /// Matrix mode: each named output column judged by the contract (and its model judge, one judge for all columns)
    /// side by side, as one report whose verdict is the worst column's; every format and the gate take it.
    /// </summary>
    private static async Task<EvaluationReport> MatrixAsync(
        Run run,
        string dataPath,
        string columns,
        bool noJudge,
        string? judgeCache,
        CancellationToken cancellationToken
    )
    {
        var contract = run.Contract;
        var outputs = columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (contract.Task != TaskKind.Generative || outputs.Length == 0)
        {
            throw new UserException(
                ExitCodes.Usage,
                "--outputs names output columns of a generative contract, such as --outputs draft_v1,draft_v2"
            );
        }
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length)
        {
            throw new UserException(
                ExitCodes.Usage,
                $"--outputs names a column twice ({columns}); name each output column once"
            );
        }
        var table = InputFiles.ReadTable(dataPath, Evaluator.MatrixReadOptions(contract, outputs, dataPath));
        cancellationToken.ThrowIfCancellationRequested();
        var shared = GenerativeInputs(run.Io, contract, run.ContractPath);
        var judged = await EvalJudge
            .RunColumnsAsync(contract, table, outputs, shared, noJudge, judgeCache, cancellationToken)
            .ConfigureAwait(false);
        var report = Evaluator.EvaluateMatrix(
            contract,
            table,
            outputs,
            new EvaluationOptions
            {
                Resamples = run.Resamples,
                Seed = run.Seed,
                Generative = shared,
            },
            [.. judged.Select(j => j.Options)]
        );
        report = report with
        {
            Outputs =
            [
                .. report.Outputs!.Select((c, i) => c with { Report = c.Report with { Judge = judged[i].Summary } }),
            ],
            Provenance = CliProvenance.For(
                run.Io,
                run.ContractPath,
                [InputFiles.Describe("data", dataPath, table.RowCount)],
                run.Seed,
                run.Resamples
            ),
        };
        Emit(run, report);
        return report;
    }

    /// <summary>What Core needs beyond the cases: each json_schema check's file (beside the contract) and the embedder.</summary>
    private static GenerativeOptions GenerativeInputs(CliIo io, Contract contract, string contractPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(contractPath)) ?? ".";
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in contract.Generative!.Checks.Where(c => c.SchemaPath is not null))
        {
            schemas[check.SchemaPath!] = InputFiles.ReadText(
                Path.Combine(folder, check.SchemaPath!),
                $"JSON schema of check '{check.Name}'"
            );
        }
        ITextEmbedder? embedder = null;
        if (contract.Generative.Checks.FirstOrDefault(c => c.Kind == OutputCheckKind.SimilarTo) is { } similar)
        {
            embedder = io.Embedder()
                ?? throw new UserException(
                    ExitCodes.Unavailable,
                    $"check '{similar.Name}' (similar_to) needs a sentence-embedding model, and none is installed with this overlap; remove the check or use a build with Overlap.Embeddings"
                );
        }
        return new GenerativeOptions { Schemas = schemas, Embedder = embedder };
    }

    // The summary is a courtesy to the CI page; a path that cannot be written must not replace the verdict's exit code.
    private static void AppendStepSummary(CliIo io, string path, string markdown)
    {
        try
        {
            File.AppendAllText(path, markdown + Environment.NewLine);
        }
        catch (Exception e)
            when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            io.ErrWriter.WriteLine(
                $"warning: cannot append the report to GITHUB_STEP_SUMMARY ({path}): {e.Message.TrimEnd('.')}; the verdict's exit code is unchanged"
            );
        }
    }

    public static ReportFormat ParseFormat(string name) =>
        ReportFormats.Parse(name)
        ?? throw new UserException(ExitCodes.Usage, $"--format is '{name}'; use text, json, markdown, junit or html");
}
