using System.CommandLine;
using Overlap.Core.Contracts;
using Overlap.Core.Data;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap contract init --data FILE</c>: drafts a commented contract from a data file's columns, taking flags,
/// asking for what is missing on a terminal, and guessing from column names otherwise.
/// </summary>
internal static class ContractInitCommand
{
    private static readonly string[] IdNames = ["id"];
    private static readonly string[] TimeNames = ["time", "timestamp", "date", "datetime", "created_at"];
    private static readonly string[] LabelNames = ["label", "outcome", "target", "actual", "truth", "y", "class"];
    private static readonly string[] ScoreNames = ["score", "probability", "prob", "proba"];
    private static readonly string[] PredictionNames = ["prediction", "predicted", "pred", "decision", "y_pred"];
    private static readonly string[] OutputNames = ["output", "draft", "reply", "response", "completion", "summary"];
    private static readonly string[] InputNames = ["input", "question", "prompt", "query", "message", "ticket"];
    private static readonly string[] ReferenceNames = ["reference", "expected", "ideal", "gold", "agent_reply"];
    private static readonly string[] PositiveWords = ["1", "true", "yes", "positive", "spam", "fraud", "bad", "churn"];

    public static Command Create(CliIo io)
    {
        var data = new Option<string>("--data", "-d")
        {
            Description = "A data file whose columns the contract names: .csv, .jsonl or .parquet (optionally .gz).",
            Required = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the contract.",
            DefaultValueFactory = _ => "overlap.yaml",
        };
        var feature = new Option<string?>("--feature")
        {
            Description = "The feature's name: lowercase letters, digits and dashes (default: the data file's folder).",
        };
        var task = new Option<string?>("--task")
        {
            Description =
                "binary, multiclass, regression (default: guessed from the label column) or generative (text outputs: a template with checks, a rubric and judges).",
        };
        var label = new Option<string?>("--label") { Description = "The column with the true outcome." };
        var score = new Option<string?>("--score")
        {
            Description = "The column with the model's probability of the positive label (binary).",
        };
        var prediction = new Option<string?>("--prediction")
        {
            Description =
                "The column with the model's output (needed for multiclass and regression; generative: the output text).",
        };
        var id = new Option<string?>("--id") { Description = "The column with one id per row." };
        var time = new Option<string?>("--time") { Description = "The column with when each prediction was made." };
        var positive = new Option<string?>("--positive")
        {
            Description = "The label value of the case the model should catch (binary).",
        };
        var negative = new Option<string?>("--negative")
        {
            Description = "The label value of the other case (binary).",
        };
        var segments = new Option<string?>("--segments")
        {
            Description = "Columns to break the figures down by, comma-separated.",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists." };
        var command = new Command(
            "init",
            "Draft a commented contract from a data file's columns; asks on a terminal, takes flags, guesses from column names otherwise."
        )
        {
            data,
            output,
            feature,
            task,
            label,
            score,
            prediction,
            id,
            time,
            positive,
            negative,
            segments,
            force,
        };
        command.SetAction(parse =>
        {
            var outputPath = parse.GetValue(output)!;
            if (File.Exists(outputPath) && !parse.GetValue(force))
            {
                throw new UserException(
                    ExitCodes.CantCreate,
                    $"{outputPath} already exists; give --force to overwrite it, or -o another file"
                );
            }
            var dataPath = parse.GetValue(data)!;
            var table = InputFiles.ReadTable(dataPath, new TableReadOptions { Source = dataPath });
            var names = table.Columns.Select(c => c.Name).ToList();
            var ask = new Asker(io, names);
            var featureName = ask.Value(
                "feature name",
                parse.GetValue(feature),
                ContractDraft.Slug(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(dataPath))) ?? string.Empty)
                    ?? "my-feature",
                column: false
            );
            if (parse.GetValue(task) is { } named && ContractParser.TaskFrom(named) == TaskKind.Generative)
            {
                return Generative(
                    io,
                    ask,
                    names,
                    featureName!,
                    dataPath,
                    outputPath,
                    parse.GetValue(prediction),
                    parse.GetValue(id)
                );
            }
            var labelColumn = ask.Value(
                "label column (the true outcome)",
                parse.GetValue(label),
                Guess(names, LabelNames, prefix: "is_")
            )
                ?? throw new UserException(
                    ExitCodes.Usage,
                    $"cannot tell which column holds the true outcome; give --label, one of: {string.Join(", ", names)}"
                );
            var values = Distinct(table.Find(labelColumn)!, 51);
            var taskKind = ParseTask(
                ask.Value(
                    "task (binary, multiclass or regression)",
                    parse.GetValue(task),
                    GuessTask(table.Find(labelColumn)!, values).ToString().ToLowerInvariant(),
                    column: false
                )!
            );
            var others = names.Where(n => n != labelColumn).ToList();
            var scoreColumn =
                taskKind == TaskKind.Binary
                    ? ask.Value(
                        "score column (probability of the positive label)",
                        parse.GetValue(score),
                        Guess(others, ScoreNames, prefix: "p_")
                    )
                    : null;
            var predictionColumn = ask.Value(
                "prediction column (the model's output)",
                parse.GetValue(prediction),
                Guess(others, PredictionNames, prefix: "predicted_")
            );
            if (taskKind == TaskKind.Binary && scoreColumn is null && predictionColumn is null)
            {
                throw new UserException(
                    ExitCodes.Usage,
                    $"a binary contract needs a score or a prediction column; give --score or --prediction, one of: {string.Join(", ", others)}"
                );
            }
            if (taskKind != TaskKind.Binary && predictionColumn is null)
            {
                throw new UserException(
                    ExitCodes.Usage,
                    $"a {taskKind.ToString().ToLowerInvariant()} contract needs the model's output; give --prediction, one of: {string.Join(", ", others)}"
                );
            }
            var idColumn = ask.Value("id column", parse.GetValue(id), Guess(others, IdNames, suffix: "_id"));
            var timeColumn = ask.Value("time column", parse.GetValue(time), Guess(others, TimeNames, suffix: "_at"));
            string? positiveValue = null,
                negativeValue = null;
            if (taskKind == TaskKind.Binary)
            {
                var (pos, neg) = GuessLabels(table.Find(labelColumn)!, values);
                positiveValue = ask.Value(
                    "positive label value (the case to catch)",
                    parse.GetValue(positive),
                    pos,
                    column: false
                );
                negativeValue = ask.Value(
                    "negative label value",
                    parse.GetValue(negative),
                    neg ?? values.FirstOrDefault(v => v != positiveValue),
                    column: false
                );
                if (positiveValue is null || negativeValue is null)
                {
                    throw new UserException(
                        ExitCodes.Usage,
                        $"the label column '{labelColumn}' does not hold two values to tell apart; give --positive and --negative"
                    );
                }
            }
            var roles = new HashSet<string?>(
                [labelColumn, scoreColumn, predictionColumn, idColumn, timeColumn],
                StringComparer.Ordinal
            );
            var segmentColumns = (parse.GetValue(segments) ?? string.Empty).Split(
                ',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            );
            foreach (var s in segmentColumns)
            {
                ask.Check(s, "--segments");
            }
            var draft = new ContractDraft
            {
                Feature = featureName!,
                Task = taskKind,
                Label = labelColumn,
                Score = scoreColumn,
                Prediction = predictionColumn,
                Id = idColumn,
                Time = timeColumn,
                Positive = positiveValue,
                Negative = negativeValue,
                Classes = taskKind == TaskKind.Multiclass ? values : [],
                Segments = segmentColumns,
                SegmentCandidates = table
                    .Columns.Where(c =>
                        c.Kind == ColumnKind.Categorical
                        && !roles.Contains(c.Name)
                        && Distinct(c, 21).Count is >= 2 and <= 20
                    )
                    .Select(c => c.Name)
                    .ToList(),
                DataFile = Path.GetFileName(dataPath),
            };
            var yaml = draft.ToYaml();
            // What init writes must validate; a refusal here is a bad answer (a feature name, say), reported as any contract's.
            var contract = ContractParser.Parse(yaml, outputPath);
            Output.ReportWriter.WriteFile(outputPath, yaml);
            io.ErrWriter.WriteLine(
                $"wrote {outputPath}: a {taskKind.ToString().ToLowerInvariant()} contract for '{contract.Feature}' with {contract.Requirements.Count} placeholder requirements; set their bars, then run 'overlap contract validate {outputPath}'"
            );
            return ExitCodes.Pass;
        });
        return command;
    }

    /// <summary>
    /// <c>--task generative</c>: the case file's output column (from --prediction, asked, or guessed from its name),
    /// its id, input and reference columns when their names tell, written into the generative template.
    /// </summary>
    private static int Generative(
        CliIo io,
        Asker ask,
        List<string> names,
        string feature,
        string dataPath,
        string outputPath,
        string? outputFlag,
        string? idFlag
    )
    {
        var output = ask.Value("output column (the text the feature wrote)", outputFlag, Guess(names, OutputNames))
            ?? throw new UserException(
                ExitCodes.Usage,
                $"cannot tell which column holds the output text; give --prediction, one of: {string.Join(", ", names)}"
            );
        var others = names.Where(n => n != output).ToList();
        var yaml = ContractDraft.GenerativeYaml(
            feature,
            output,
            Guess(others, InputNames),
            Guess(others, ReferenceNames),
            ask.Value("id column", idFlag, Guess(others, IdNames, suffix: "_id")),
            Path.GetFileName(dataPath)
        );
        var contract = ContractParser.Parse(yaml, outputPath);
        Output.ReportWriter.WriteFile(outputPath, yaml);
        io.ErrWriter.WriteLine(
            $"wrote {outputPath}: a generative contract for '{contract.Feature}' with {contract.Generative!.Checks.Count} checks, {contract.Generative.Rubric.Count} rubric criteria and {contract.Requirements.Count} placeholder requirements; edit them, then run 'overlap contract validate {outputPath}'"
        );
        return ExitCodes.Pass;
    }

    private static TaskKind ParseTask(string text) =>
        ContractParser.TaskFrom(text) switch
        {
            TaskKind.Generative => throw new UserException(
                ExitCodes.Usage,
                "a generative contract is drafted from the output column and needs no label; run overlap contract init --data FILE --task generative"
            ),
            { } task => task,
            null => throw new UserException(
                ExitCodes.Usage,
                $"--task is '{text}'; use binary, multiclass, regression or generative"
            ),
        };

    // Two values: binary; a number with many values: regression; otherwise classes.
    private static TaskKind GuessTask(Column label, IReadOnlyList<string> values) =>
        values.Count == 2 ? TaskKind.Binary
        : label.Kind == ColumnKind.Numeric && values.Count > 20 ? TaskKind.Regression
        : TaskKind.Multiclass;

    // A well-known positive word first; else the rarer value, the case a model is usually asked to catch.
    private static (string? Positive, string? Negative) GuessLabels(Column label, IReadOnlyList<string> values)
    {
        if (values.Count != 2)
        {
            return (null, null);
        }
        var known = values.FirstOrDefault(v => PositiveWords.Contains(v.ToLowerInvariant()));
        if (known is not null)
        {
            return (known, values.First(v => v != known));
        }
        var first = Enumerable.Range(0, label.Count).Count(r => label.Text(r) == values[0]);
        return first * 2 <= label.Count ? (values[0], values[1]) : (values[1], values[0]);
    }

    private static List<string> Distinct(Column column, int limit)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < column.Count && seen.Count < limit; r++)
        {
            if (column.Text(r) is { Length: > 0 } text)
            {
                seen.Add(text);
            }
        }
        return [.. seen];
    }

    private static string? Guess(
        IReadOnlyList<string> names,
        string[] exact,
        string? prefix = null,
        string? suffix = null
    ) =>
        names.FirstOrDefault(n => exact.Contains(n.ToLowerInvariant()))
        ?? names.FirstOrDefault(n => prefix is not null && n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        ?? names.FirstOrDefault(n => suffix is not null && n.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        ?? names.FirstOrDefault(n => exact.Any(e => e.Length > 3 && n.Contains(e, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Takes a flag's value, else asks on a terminal (the guess as default), else takes the guess.</summary>
    private sealed class Asker(CliIo io, IReadOnlyList<string> columns)
    {
        public string? Value(string question, string? flag, string? guess, bool column = true)
        {
            var answer = flag;
            if (answer is null && io.CanAsk)
            {
                io.ErrWriter.Write($"{question}{(guess is null ? " (empty for none)" : $" [{guess}]")}: ");
                var line = io.In.ReadLine()?.Trim();
                answer =
                    string.IsNullOrEmpty(line) ? guess
                    : line == "-" ? null
                    : line;
            }
            answer ??= flag ?? (io.CanAsk ? null : guess);
            if (column && answer is not null)
            {
                Check(answer, question);
            }
            return answer;
        }

        public void Check(string name, string what)
        {
            if (!columns.Contains(name))
            {
                var near = Overlap.Core.Text.Suggestions.Nearest(name, columns);
                throw new UserException(
                    ExitCodes.Usage,
                    $"{what}: the data has no column '{name}'; {(near is null ? "its columns are: " + string.Join(", ", columns) : $"did you mean '{near}'?")}"
                );
            }
        }
    }
}
