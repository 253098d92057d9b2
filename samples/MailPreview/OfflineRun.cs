using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Reports;
using Overlap.Core.Text;
using Overlap.Demo.Corpus;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// The scenario before release: the earliest legitimate mail of the corpus previewed by both versions, graded by the
/// checks and (for half the cases) the scripted people, and version 2 judged against the contract beside version 1.
/// </summary>
internal static class OfflineRun
{
    /// <summary>What the offline half wrote and found.</summary>
    /// <param name="Cases">The cases (both versions' previews).</param>
    /// <param name="Report">Version 2 judged against the contract, compared with version 1 on the same mail.</param>
    public sealed record Result(IReadOnlyList<PreviewCase> Cases, EvaluationReport Report);

    /// <summary>The contract's text, as committed in examples/mail-preview and embedded in the sample.</summary>
    public static string ContractYaml { get; } = ReadContract();

    /// <summary>The contract, parsed.</summary>
    public static Contract Contract() => ContractParser.Parse(ContractYaml, "mail-preview contract");

    private static string ReadContract()
    {
        using var stream = typeof(OfflineRun).Assembly.GetManifestResourceStream("mail-preview.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Previews the first <paramref name="count"/> dated legitimate emails with both versions, writes
    /// <c>cases-v1.jsonl</c> and <c>cases-v2.jsonl</c> and the reports (<c>eval.json</c>, <c>eval.md</c>,
    /// <c>eval.html</c>) into <paramref name="folder"/>, and returns the evaluation of version 2.
    /// </summary>
    public static Result Run(SpamCorpusData corpus, ITextEmbedder embedder, string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var contract = Contract();
        var mail = corpus.Dated.Where(m => !m.IsSpam).Take(count).ToList();
        var cases = PreviewCases.Build(mail, new Previewer(embedder));
        var v1 = Path.Combine(folder, "cases-v1.jsonl");
        var v2 = Path.Combine(folder, "cases-v2.jsonl");
        PreviewCases.Write(v1, cases, PreviewStrategy.Lead);
        PreviewCases.Write(v2, cases, PreviewStrategy.Central);
        var report = Evaluator.Evaluate(
            contract,
            Read(v2, Evaluator.ReadOptions(contract, v2)),
            new EvaluationOptions
            {
                Baseline = Read(v1, Evaluator.BaselineReadOptions(contract, v1)),
                Generative = new GenerativeOptions { Embedder = embedder },
            }
        );
        File.WriteAllText(Path.Combine(folder, "eval.json"), ReportJson.Write(report));
        File.WriteAllText(Path.Combine(folder, "eval.md"), MarkdownReport.Write(report));
        File.WriteAllText(Path.Combine(folder, "eval.html"), HtmlReport.Write(report));
        return new Result(cases, report);
    }

    private static Table Read(string path, TableReadOptions options)
    {
        using var stream = File.OpenRead(path);
        return TableReader.Read(stream, DataFormat.JsonLines, options);
    }
}
