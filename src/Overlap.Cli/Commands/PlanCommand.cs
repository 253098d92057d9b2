using System.CommandLine;
using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Planning;
using Overlap.Core.Reports;
using Overlap.Core.Statements;
using Spectre.Console;

namespace Overlap.Cli.Commands;

/// <summary>
/// <c>overlap plan</c>: how many labelled examples a contract's requirements need
/// (<c>--contract C [--data D]</c>), one metric needs (<c>--metric M --expected P</c>), or a comparison of two
/// models needs (<c>--compare --baseline-rate P1 --candidate-rate P2</c>).
/// </summary>
internal static class PlanCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(CliIo io)
    {
        var contract = new Option<string>("--contract", "-c")
        {
            Description = "The quality contract (overlap.yaml) whose proportion requirements to size.",
        };
        var data = new Option<string>("--data", "-d")
        {
            Description =
                "Labelled, scored examples (.csv, .jsonl, .parquet): the observed rates, class shares and segment counts.",
        };
        var margin = new Option<double?>("--margin")
        {
            Description =
                "Half-width of the interval wanted, such as 0.02 for ±2 points. Default: the distance between the observed rate and the bar, else 0.02.",
        };
        var confidence = new Option<double?>("--confidence")
        {
            Description = "Two-sided confidence. Default: the contract's, else 0.95.",
        };
        var prevalence = new Option<double?>("--prevalence")
        {
            Description = "Share of examples that are positive, when there is no --data.",
        };
        var flaggedShare = new Option<double?>("--flagged-share")
        {
            Description = "Share of examples the model flags, for precision when there is no --data.",
        };
        var metric = new Option<string>("--metric")
        {
            Description = "Size one proportion metric without a contract, such as recall.",
        };
        var expected = new Option<double?>("--expected")
        {
            Description = "The rate the metric is expected to have, with --metric.",
        };
        var compare = new Option<bool>("--compare") { Description = "Size an A/B comparison of two models' rates." };
        var baseline = new Option<double?>("--baseline-rate")
        {
            Description = "The current model's rate, with --compare.",
        };
        var candidate = new Option<double?>("--candidate-rate")
        {
            Description = "The rate the new model should reach, with --compare.",
        };
        var power = new Option<double>("--power")
        {
            Description = "Chance of detecting a real difference, with --compare.",
            DefaultValueFactory = _ => 0.8,
        };
        var alpha = new Option<double>("--alpha")
        {
            Description = "Significance level of the two-sided test, with --compare.",
            DefaultValueFactory = _ => 0.05,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text or json.",
            DefaultValueFactory = _ => "text",
        };
        var command = new Command(
            "plan",
            "How many labelled examples it takes to judge a contract's requirements, measure a rate, or compare two models."
        )
        {
            contract,
            data,
            margin,
            confidence,
            prevalence,
            flaggedShare,
            metric,
            expected,
            compare,
            baseline,
            candidate,
            power,
            alpha,
            format,
        };
        command.SetAction(parse =>
        {
            var json = parse.GetValue(format) switch
            {
                "json" => true,
                "text" => false,
                var other => throw Usage($"--format is '{other}'; write --format text or --format json"),
            };
            var m = Range(parse.GetValue(margin), "--margin", 0, 0.5, "a half-width such as 0.02", lowOpen: true);
            var conf = Range(
                parse.GetValue(confidence),
                "--confidence",
                0.5,
                1,
                "a confidence such as 0.95",
                lowOpen: true,
                highOpen: true
            );
            var prev = Range(
                parse.GetValue(prevalence),
                "--prevalence",
                0,
                1,
                "a share such as 0.1",
                lowOpen: true,
                highOpen: true
            );
            var flagged = Range(
                parse.GetValue(flaggedShare),
                "--flagged-share",
                0,
                1,
                "a share such as 0.05",
                lowOpen: true
            );
            var contractPath = parse.GetValue(contract);
            var metricName = parse.GetValue(metric);
            var modes =
                (contractPath is null ? 0 : 1) + (metricName is null ? 0 : 1) + (parse.GetValue(compare) ? 1 : 0);
            if (modes != 1)
            {
                throw Usage(
                    modes == 0
                        ? "say what to plan: --contract overlap.yaml, --metric recall --expected 0.9, or --compare --baseline-rate 0.90 --candidate-rate 0.93"
                        : "plan one thing at a time: use only one of --contract, --metric and --compare"
                );
            }
            if (parse.GetValue(compare))
            {
                var plan = Compare(
                    parse.GetValue(baseline),
                    parse.GetValue(candidate),
                    parse.GetValue(alpha),
                    parse.GetValue(power)
                );
                io.Out.WriteLine(json ? ReportJson.Write(plan) : plan.Statement);
                return ExitCodes.Pass;
            }
            var options = new PlanOptions
            {
                Margin = m,
                Confidence = conf,
                Prevalence = prev,
                FlaggedShare = flagged,
            };
            var samplePlan = contractPath is not null
                ? ForContract(contractPath, parse.GetValue(data), options)
                : ForMetric(metricName!, parse.GetValue(expected), parse.GetValue(data), options);
            if (json)
            {
                io.Out.WriteLine(ReportJson.Write(samplePlan));
            }
            else
            {
                WriteText(io, samplePlan);
            }
            return ExitCodes.Pass;
        });
        return command;
    }

    private static ComparisonPlan Compare(double? baseline, double? candidate, double alpha, double power)
    {
        var p1 = Range(baseline, "--baseline-rate", 0, 1, "the current model's rate, such as 0.90")
            ?? throw Usage("--compare needs --baseline-rate, the current model's rate, such as --baseline-rate 0.90");
        var p2 = Range(candidate, "--candidate-rate", 0, 1, "the new model's rate, such as 0.93")
            ?? throw Usage(
                "--compare needs --candidate-rate, the rate the new model should reach, such as --candidate-rate 0.93"
            );
        Range(alpha, "--alpha", 0, 1, "a significance level such as 0.05", lowOpen: true, highOpen: true);
        Range(power, "--power", alpha, 1, "a power above --alpha, such as 0.8", lowOpen: true, highOpen: true);
        if (p1 == p2)
        {
            throw Usage(
                $"--baseline-rate and --candidate-rate are both {p1.ToString(Inv)}; give the rate the new model should reach, such as --candidate-rate {Math.Min(1, p1 + 0.03).ToString(Inv)}"
            );
        }
        try
        {
            return Planner.Compare(p1, p2, alpha, power);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Usage(
                $"{p1.ToString(Inv)} and {p2.ToString(Inv)} are too close to tell apart with any practical number of examples; compare rates further apart"
            );
        }
    }

    private static SamplePlan ForContract(string path, string? dataPath, PlanOptions options)
    {
        var contract = InputFiles.ReadContract(path);
        PlanData? data = null;
        if (dataPath is not null)
        {
            var table = InputFiles.ReadTable(dataPath, PlanDataReader.Options(contract, dataPath));
            data = PlanDataReader.Count(table, contract);
            if (data.Overall.Total == 0)
            {
                throw new UserException(
                    ExitCodes.DataError,
                    $"{dataPath} has no labelled rows in '{contract.Columns.Label}'; plan from labelled examples, or leave out --data"
                );
            }
        }
        else
        {
            foreach (var r in contract.Requirements.Where(r => r.Bound != Bound.MaxGap))
            {
                if (
                    Planner.BasisOf(r.Metric) is PlanBasis.Positives or PlanBasis.Negatives
                    && options.Prevalence is null
                )
                {
                    throw Usage(
                        $"{r.Metric} (line {r.Line}) counts only {(Planner.BasisOf(r.Metric) == PlanBasis.Positives ? "positive" : "negative")} examples, so without --data the plan needs the share of positives; add --prevalence 0.1 (or --data scored.csv)"
                    );
                }
            }
        }
        try
        {
            return Planner.Plan(contract, data, options);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Usage(
                "the margin is too small to reach with any practical number of examples; give a wider --margin, such as 0.02"
            );
        }
    }

    private static SamplePlan ForMetric(string metric, double? expected, string? dataPath, PlanOptions options)
    {
        if (dataPath is not null)
        {
            throw Usage(
                "--data needs --contract, which names the label and score columns; add --contract overlap.yaml"
            );
        }
        if (MetricCatalog.Find(metric) is null)
        {
            throw Usage($"--metric '{metric}' is not a metric; write one of: {string.Join(", ", Proportions())}");
        }
        var basis = Planner.BasisOf(metric)
            ?? throw Usage(
                $"--metric {metric} is not a proportion, so a Wilson interval does not size it; plan one of: {string.Join(", ", Proportions())}"
            );
        var p = Range(expected, "--expected", 0, 1, "the rate you expect, such as 0.9")
            ?? throw Usage($"--metric needs --expected, the rate you expect {metric} to have, such as --expected 0.9");
        double? share = basis switch
        {
            PlanBasis.Positives => options.Prevalence,
            PlanBasis.Negatives => 1 - options.Prevalence,
            PlanBasis.Flagged => options.FlaggedShare,
            _ => 1,
        };
        try
        {
            var plan = Planner.PlanMetric(
                metric,
                p,
                options.Margin ?? Planner.DefaultMargin,
                options.Confidence ?? 0.95,
                share
            );
            return new SamplePlan { Requirements = [plan] };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Usage(
                "the margin is too small to reach with any practical number of examples; give a wider --margin, such as 0.02"
            );
        }
    }

    private static void WriteText(CliIo io, SamplePlan plan)
    {
        // Sentences go out unwrapped (the terminal wraps them); only the segment tables need the console.
        var console = io.OutConsole;
        foreach (var r in plan.Requirements)
        {
            io.Out.WriteLine(r.Statement);
            if (r.Segments is { Count: > 0 } segments)
            {
                var table = new Table().Border(TableBorder.Rounded);
                table.AddColumn(Markup.Escape(r.By!));
                table.AddColumn(new TableColumn("has").RightAligned());
                table.AddColumn(new TableColumn("needs").RightAligned());
                table.AddColumn(new TableColumn("more").RightAligned());
                table.AddColumn(new TableColumn("share").RightAligned());
                table.AddColumn(new TableColumn("examples").RightAligned());
                foreach (var s in segments)
                {
                    table.AddRow(
                        Markup.Escape(s.Value),
                        Phrasing.Number(s.Current),
                        Phrasing.Number(s.Needed),
                        Phrasing.Number(s.More),
                        s.Share is { } share ? Phrasing.Percent(share) : "none yet",
                        s.ExamplesNeeded is { } e ? Phrasing.Number(e) : "unknown"
                    );
                }
                console.Write(table);
                io.Out.WriteLine(
                    "has, needs, more: labelled cases of the kind the bar counts; share: that kind's share of the group's labelled examples; examples: labelled examples of the group it takes at that share (unknown until the group has some)."
                );
            }
            io.Out.WriteLine();
        }
        foreach (var s in plan.Skipped)
        {
            io.Out.WriteLine($"Not sized: {s.Metric} (line {s.Line}): {s.Reason}.");
        }
    }

    private static IEnumerable<string> Proportions() =>
        MetricCatalog.All.Where(m => Planner.BasisOf(m.Name) is not null).Select(m => m.Name);

    private static double? Range(
        double? value,
        string option,
        double low,
        double high,
        string hint,
        bool lowOpen = false,
        bool highOpen = false
    )
    {
        if (value is { } v && (double.IsNaN(v) || (lowOpen ? v <= low : v < low) || (highOpen ? v >= high : v > high)))
        {
            var range =
                $"{(lowOpen ? "above" : "from")} {low.ToString(Inv)} {(highOpen ? "and below" : "to")} {high.ToString(Inv)}";
            throw Usage($"{option} is {v.ToString(Inv)}; write a number {range}, {hint}");
        }
        return value;
    }

    private static UserException Usage(string message) => new(ExitCodes.Usage, message);
}
