using System.Text.Json;
using System.Text.RegularExpressions;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// <c>overlap eval</c> asking the contract's model judge: through the real OpenAI client against the in-process
/// stand-in of the Chat Completions API (no hosted model can be reached here), on examples/support-replies.
/// </summary>
public sealed class GenerativeJudgeTests
{
    private static readonly string Cases = CliRun.RepoFile("examples/support-replies/cases.jsonl");

    /// <summary>The example's contract with the judge pointed at <paramref name="endpoint"/> instead of env: values.</summary>
    private static string Contract(TempFolder f, string endpoint, string model = "gpt-4o-mini") =>
        f.Write(
            "overlap.yaml",
            File.ReadAllText(CliRun.RepoFile("examples/support-replies/overlap.yaml"))
                .Replace("env:OVERLAP_JUDGE_ENDPOINT", endpoint, StringComparison.Ordinal)
                .Replace("env:OVERLAP_JUDGE_MODEL", model, StringComparison.Ordinal)
                .Replace("env:OVERLAP_JUDGE_KEY", "sk-test", StringComparison.Ordinal)
        );

    /// <summary>
    /// The stand-in judges 'factual' as the people in the file did (pass where they did not grade) and gives every
    /// draft 5 for 'tone', where people gave several 2s and 3s.
    /// </summary>
    private static Func<StandInRequest, StandInReply> LikePeopleOnFactual()
    {
        var people = File.ReadLines(Cases)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r =>
                (
                    Question: r.GetProperty("question").GetString()!,
                    Draft: r.TryGetProperty("draft", out var d) ? d.GetString() : null,
                    Reference: r.GetProperty("agent_reply").GetString(),
                    Factual: r.TryGetProperty("rubric.factual", out var g) && g.ValueKind == JsonValueKind.String
                        ? g.GetString()
                        : null
                )
            )
            .ToList();
        return request =>
        {
            var prompt = request.LastUser;
            if (prompt.Contains("warm and professional", StringComparison.Ordinal))
            {
                return StandInReply.Grade(5, "warm");
            }
            // The tickets whose input, reference and output the prompt's blocks hold, word for word (the reader trims
            // the spaces around a value, so one draft's trailing space is not in the prompt). Identical drafts were
            // graded differently by people twice in the file; the judge gives the majority's grade.
            var grades = people
                .Where(p =>
                    Block(prompt, "Input given to the feature") == p.Question
                    && Block(prompt, "Reference answer") == p.Reference
                    && Block(prompt, "Output to grade") == p.Draft?.Trim()
                )
                .Select(p => p.Factual)
                .ToList();
            var fails = grades.Count(g => g == "fail");
            return StandInReply.Grade(fails * 2 > grades.Count ? 0 : 1, "as the ticket says");
        };
    }

    private static string? Block(string prompt, string title) =>
        Regex.Match(prompt, Regex.Escape(title) + ":\n<<<\n(.*?)\n>>>", RegexOptions.Singleline) is { Success: true } m
            ? m.Groups[1].Value
            : null;

    [Fact]
    public async Task TheJudge_CountsWhereItAgreesWithPeople_AndARerunIsAnsweredFromTheCache()
    {
        await using var standIn = await OpenAiStandIn.StartAsync();
        standIn.Rule = LikePeopleOnFactual();
        using var f = new TempFolder();
        var contract = Contract(f, standIn.Endpoint.ToString());
        // People graded 'factual' on all but the first ten tickets here; the judge grades those ten too.
        var cases = f.Write(
            "cases.jsonl",
            string.Join(
                "\n",
                File.ReadLines(Cases)
                    .Select(
                        (line, i) => i < 10 ? Regex.Replace(line, @", ""rubric\.factual"": ""(pass|fail)""", "") : line
                    )
            ) + "\n"
        );
        string[] args =
        [
            "eval",
            "--contract",
            contract,
            "--data",
            cases,
            "--judge-cache",
            f.PathOf("cache"),
            "-o",
            f.PathOf("r.json"),
            "-o",
            f.PathOf("r.md"),
        ];
        var (code, stdout, stderr) = await CliRun.RunAsync(args);
        Assert.True(code is 1 or 2, stderr);
        // 38 drafts (two cases have none) × 2 criteria asked; drafts that repeat a ticket's question and draft word for word are answered
        // from the cache the first answer wrote, so fewer requests reach the endpoint.
        var asked = standIn.Requests.Count;
        Assert.InRange(asked, 2, 75);

        using (var json = JsonDocument.Parse(File.ReadAllText(f.PathOf("r.json"))))
        {
            var judge = json.RootElement.GetProperty("judge");
            Assert.Equal(
                ("gpt-4o-mini", 76, 76, 76 - asked),
                (
                    judge.GetProperty("model").GetString(),
                    judge.GetProperty("asked").GetInt32(),
                    judge.GetProperty("graded").GetInt32(),
                    judge.GetProperty("from_cache").GetInt32()
                )
            );
            Assert.Equal(["factual"], judge.GetProperty("counted").EnumerateArray().Select(e => e.GetString()));
            var factual = judge.GetProperty("agreements")[0];
            // 28 drafts graded by both, alike on all but T-1030 (people failed it, but passed the same draft twice):
            // Wilson (statsmodels) 0.8229 to 0.9937 at 95%, above 0.8.
            Assert.Equal(
                ("factual", 28L, 27L),
                (
                    factual.GetProperty("criterion").GetString(),
                    factual.GetProperty("outputs").GetInt64(),
                    factual.GetProperty("agreeing").GetInt64()
                )
            );
            Assert.Equal("can_stand_in", factual.GetProperty("verdict").GetString());
            Assert.Equal(0.8228780225664668, factual.GetProperty("share_interval").GetProperty("low").GetDouble(), 9);
            var tone = judge.GetProperty("agreements")[1];
            Assert.NotEqual("can_stand_in", tone.GetProperty("verdict").GetString());
            // The ten drafts people left ungraded on 'factual' are graded by the trusted judge: 28 + 10 count (the
            // two cases without a draft have no grade from anyone).
            Assert.Equal(
                38,
                json.RootElement.GetProperty("metrics")
                    .GetProperty("rubric.factual.pass_rate")
                    .GetProperty("n")
                    .GetInt64()
            );
        }
        Assert.Contains("Model judge", stdout, StringComparison.Ordinal);
        Assert.Contains("Its grades count toward the verdicts on factual", stdout, StringComparison.Ordinal);
        Assert.Contains("### Model judge", File.ReadAllText(f.PathOf("r.md")), StringComparison.Ordinal);

        var again = await CliRun.RunAsync(args);
        Assert.Equal(code, again.Code);
        Assert.Equal(asked, standIn.Requests.Count);
        using var rerun = JsonDocument.Parse(File.ReadAllText(f.PathOf("r.json")));
        Assert.Equal(76, rerun.RootElement.GetProperty("judge").GetProperty("from_cache").GetInt32());
    }

    [Fact]
    public async Task AJudgeWhoseVariableIsUnset_DoesNotRun_AndTheReportSaysWhy()
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "overlap.yaml",
            File.ReadAllText(CliRun.RepoFile("examples/support-replies/overlap.yaml"))
                .Replace("env:OVERLAP_JUDGE_ENDPOINT", "env:OVERLAP_TEST_UNSET_ENDPOINT", StringComparison.Ordinal)
        );
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            contract,
            "--data",
            Cases,
            "-o",
            f.PathOf("r.json")
        );
        Assert.True(code == 2, stderr);
        Assert.Contains("did not run", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(f.PathOf("r.json")));
        var notRun = json.RootElement.GetProperty("judge").GetProperty("not_run").GetString();
        Assert.Contains("OVERLAP_TEST_UNSET_ENDPOINT", notRun, StringComparison.Ordinal);
        // The verdicts are people's and the checks' alone: the same as without a judge.
        Assert.Equal(
            35,
            json.RootElement.GetProperty("metrics").GetProperty("acceptable_rate").GetProperty("n").GetInt64()
        );
    }
}
