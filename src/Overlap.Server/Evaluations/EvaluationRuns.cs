using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Provenance;
using Overlap.Core.Reports;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Evaluations;

/// <summary>
/// Evaluation runs of a feature: reports uploaded from <c>overlap eval --format json</c>, and data files evaluated here
/// against the feature's latest contract by the same <see cref="Evaluator"/> with the same defaults as the CLI (so the
/// report is the one <c>overlap eval</c> writes for that file), kept in <see cref="IEvaluationStore"/>; and two runs compared.
/// </summary>
internal sealed class EvaluationRuns(
    IEvaluationStore runs,
    IContractStore store,
    ContractRegistry contracts,
    ServerOptions options
)
{
    /// <summary>The longest name a run may have.</summary>
    public const int MaxName = 200;

    /// <summary>What to send, for the messages of a refused report.</summary>
    private const string HowToSendReport =
        "send the JSON that 'overlap eval --contract overlap.yaml --data FILE --format json' prints (or writes with -o report.json), with Content-Type: application/json";

    /// <summary>The feature's runs, newest first.</summary>
    public Task<IReadOnlyList<EvaluationRun>> ListAsync(string feature, CancellationToken cancellationToken) =>
        runs.ListEvaluationRunsAsync(feature, cancellationToken);

    /// <summary>Stores a report uploaded from <c>overlap eval --format json</c>, after checking it is one, of this feature.</summary>
    public async Task<RunAdded> AddReportAsync(
        string feature,
        byte[] json,
        string? name,
        int? contractVersion,
        string by,
        CancellationToken cancellationToken
    )
    {
        name = Named(name);
        if (Refused(name) is { } badName)
        {
            return badName;
        }
        EvaluationReport? report;
        try
        {
            report = ReportJson.ReadEvaluation(Encoding.UTF8.GetString(json));
        }
        catch (JsonException e)
        {
            return RunAdded.Bad(
                "The body is not an evaluation report",
                $"It does not read as one ({Line(e)}); {HowToSendReport}."
            );
        }
        if (
            report is null
            || report.Metrics is null
            || report.Requirements is null
            || report.Segments is null
            || report.Statements is null
        )
        {
            return RunAdded.Bad(
                "The body is not an evaluation report",
                $"It lacks metrics, requirements, segments or statements; {HowToSendReport}."
            );
        }
        if (report.Feature != feature)
        {
            return RunAdded.Bad(
                "The report is of another feature",
                $"The report says \"feature\": \"{report.Feature}\" but was sent to /v1/features/{feature}/evaluations; send it to /v1/features/{report.Feature}/evaluations, or evaluate with {feature}'s contract."
            );
        }
        if (
            contractVersion is { } v
            && await store.GetContractAsync(feature, v, cancellationToken).ConfigureAwait(false) is null
        )
        {
            return RunAdded.Bad(
                "No such contract version",
                $"'{feature}' has no contract version {v}; GET /v1/features/{feature}/contract/versions lists them, or leave contract_version out."
            );
        }
        return RunAdded.Ok(
            await StoreAsync(
                    feature,
                    contractVersion,
                    name ?? DefaultName("report"),
                    by,
                    "upload",
                    report,
                    cancellationToken
                )
                .ConfigureAwait(false)
        );
    }

    /// <summary>
    /// Evaluates a data file (CSV, JSON Lines or Parquet; gzip when <paramref name="fileName"/> ends in .gz) against the
    /// feature's latest contract, as <c>overlap eval --resamples R --seed S</c> does, and stores the report.
    /// </summary>
    public async Task<RunAdded> RunAsync(
        string feature,
        byte[] data,
        string fileName,
        DataFormat format,
        string? name,
        string by,
        int resamples,
        ulong seed,
        CancellationToken cancellationToken
    )
    {
        name = Named(name);
        if (Refused(name) is { } badName)
        {
            return badName;
        }
        if (resamples is < 100 or > 100_000)
        {
            return RunAdded.Bad(
                "The resamples are out of range",
                $"resamples is {resamples}; use between 100 and 100000 (1000 is the default, as in overlap eval)."
            );
        }
        if (data.Length == 0)
        {
            return RunAdded.Bad(
                "The data file is empty",
                "The file is empty (0 bytes): send the scored examples (CSV, JSON Lines or Parquet) as the body, or as the 'file' part of a multipart form."
            );
        }
        if (contracts.Current(feature) is not { } latest)
        {
            return RunAdded.Missing(feature);
        }
        EvaluationReport report;
        try
        {
            var contract = latest.Contract;
            report = await Task.Run(
                    () =>
                    {
                        using var input = new MemoryStream(data, writable: false);
                        using Stream stream = fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                            ? new GZipStream(input, CompressionMode.Decompress)
                            : input;
                        var table = TableReader.Read(stream, format, Evaluator.ReadOptions(contract, fileName));
                        return Evaluator.Evaluate(
                            contract,
                            table,
                            new EvaluationOptions { Resamples = resamples, Seed = seed }
                        ) with
                        {
                            Provenance = new RunProvenance
                            {
                                OverlapVersion = RunProvenance.CurrentVersion,
                                Contract = $"{feature} contract",
                                ContractVersion = latest.Version,
                                ContractSha256 = ProvenanceFacts.Sha256(Encoding.UTF8.GetBytes(latest.Yaml)),
                                Data =
                                [
                                    new DataFileProvenance(
                                        "data",
                                        Path.GetFileName(fileName),
                                        ProvenanceFacts.Sha256(data),
                                        table.RowCount
                                    ),
                                ],
                                Seed = seed,
                                Resamples = resamples,
                                CreatedAt = options.Time.GetUtcNow(),
                            },
                        };
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is DataException or ContractException)
        {
            return RunAdded.Bad("The data cannot be evaluated", e.Message);
        }
        catch (InvalidDataException e)
        {
            return RunAdded.Bad(
                "The data cannot be evaluated",
                $"{fileName} is not valid gzip ({e.Message.TrimEnd('.')}); send it decompressed, or compress it again."
            );
        }
        return RunAdded.Ok(
            await StoreAsync(
                    feature,
                    latest.Version,
                    name ?? Path.GetFileName(fileName),
                    by,
                    "run",
                    report,
                    cancellationToken
                )
                .ConfigureAwait(false)
        );
    }

    /// <summary>
    /// A file from the dashboard's form: a report when it reads as one JSON document (a <c>.json</c> file), else a data
    /// file by its extension.
    /// </summary>
    public Task<RunAdded> AddFileAsync(
        string feature,
        byte[] content,
        string fileName,
        string? name,
        string by,
        CancellationToken cancellationToken
    )
    {
        if (fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return AddReportAsync(feature, content, name, null, by, cancellationToken);
        }
        return DataFormats.FromFileName(fileName) is { } format
            ? RunAsync(
                feature,
                content,
                fileName,
                format,
                name,
                by,
                EvaluationOptions.DefaultResamples,
                EvaluationOptions.DefaultSeed,
                cancellationToken
            )
            : Task.FromResult(
                RunAdded.Bad(
                    "The file is neither a report nor data",
                    $"'{fileName}' is not a .json report from overlap eval, nor a .csv, .jsonl or .parquet file (optionally .gz) of scored examples."
                )
            );
    }

    /// <summary>One run with its report read back; null when the feature has no such run.</summary>
    public async Task<(EvaluationRun Run, EvaluationReport Report)?> ReadAsync(
        string feature,
        long id,
        CancellationToken cancellationToken
    ) =>
        await runs.GetEvaluationRunAsync(feature, id, cancellationToken).ConfigureAwait(false) is { } found
            ? (found.Run, ReportJson.ReadEvaluation(found.Report)!)
            : null;

    /// <summary>Run <paramref name="b"/> against run <paramref name="a"/>; null when either is not the feature's.</summary>
    public async Task<RunComparison?> CompareAsync(string feature, long a, long b, CancellationToken cancellationToken)
    {
        var first = await ReadAsync(feature, a, cancellationToken).ConfigureAwait(false);
        var second = await ReadAsync(feature, b, cancellationToken).ConfigureAwait(false);
        return first is { } x && second is { } y
            ? RunComparer.Compare(x.Report, Label(x.Run), y.Report, Label(y.Run))
            : null;
    }

    /// <summary>A run's name for comparisons: its name, with its id when the name alone may not tell it apart.</summary>
    public static string Label(EvaluationRun run) => $"{run.Name} (#{run.Id})";

    private async Task<EvaluationRun> StoreAsync(
        string feature,
        int? version,
        string name,
        string by,
        string source,
        EvaluationReport report,
        CancellationToken cancellationToken
    ) =>
        await runs.AddEvaluationRunAsync(
                new NewEvaluationRun(
                    feature,
                    version,
                    name,
                    by,
                    options.Time.GetUtcNow(),
                    source,
                    report.N,
                    VerdictText.Word(report.Verdict),
                    ReportJson.Write(report)
                ),
                cancellationToken
            )
            .ConfigureAwait(false);

    private string DefaultName(string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} of {options.Time.GetUtcNow():yyyy-MM-dd HH:mm} UTC");

    /// <summary>A name as given, trimmed; null when blank (a default is used).</summary>
    private static string? Named(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    private static RunAdded? Refused(string? name) =>
        name is { Length: > MaxName }
            ? RunAdded.Bad(
                "The name is too long",
                $"A run's name is at most {MaxName} characters; this one has {name.Length}."
            )
            : null;

    /// <summary>Where and why the JSON did not read as a report, without the names of .NET types.</summary>
    private static string Line(JsonException e)
    {
        var missing = System.Text.RegularExpressions.Regex.Match(
            e.Message,
            "missing required properties including: (.*?)\\.?$"
        );
        if (missing.Success)
        {
            return $"it lacks {missing.Groups[1].Value}";
        }
        var why = System.Text.RegularExpressions.Regex.Replace(
            e.Message.Split(" Path:")[0].TrimEnd('.'),
            "'?Overlap\\.Core\\.[A-Za-z.]+'?",
            "a report field"
        );
        return e.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}: {why}") : why;
    }
}
