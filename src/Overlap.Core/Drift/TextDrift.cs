using System.Globalization;
using Overlap.Core.Data;
using Overlap.Core.Sampling;
using Overlap.Core.Statistics;
using Overlap.Core.Text;

namespace Overlap.Core.Drift;

/// <summary>
/// Drift of a free-text column: the domain-classifier test on sentence embeddings of a seeded sample of each side
/// (<see cref="DomainClassifier"/>), which gives the column's verdict, and simple descriptors of every text (length in
/// characters, words, share of words the reference does not know, share of non-ASCII letters, a guessed language),
/// each through the usual numeric or categorical test.
/// </summary>
internal static class TextDrift
{
    /// <summary>The report's test name for a text column.</summary>
    public const string TestName = "domain_classifier";

    /// <summary>The report's kind for a text column.</summary>
    public const string Kind = "text";

    public static (ColumnDrift Column, TextColumnDrift Detail) Analyze(
        Column reference,
        Column current,
        ITextEmbedder? embedder,
        int sampleSize,
        int minSamples
    )
    {
        var name = reference.Name;
        var refTexts = Texts(reference);
        var curTexts = Texts(current);
        var descriptors = Descriptors(name, refTexts, curTexts, minSamples);
        var column = new ColumnDrift
        {
            Column = name,
            Kind = Kind,
            Test = TestName,
            Statistic = double.NaN,
            Threshold = DomainClassifier.MinAuc,
            ReferenceN = refTexts.Count,
            CurrentN = curTexts.Count,
        };
        var needed = Math.Max(minSamples, 4);
        var reason =
            refTexts.Count < needed || curTexts.Count < needed
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"not enough data: {curTexts.Count:#,0} text{(curTexts.Count == 1 ? string.Empty : "s")} in the current data and {refTexts.Count:#,0} in the reference, and at least {needed:#,0} on each side are needed to judge drift (min_samples)"
                )
            : embedder is null
                ? "not judged here: the wording is compared on sentence embeddings and no embedding model was given (overlap drift has one); the descriptors are tested"
            : null;
        if (reason is not null || embedder is null)
        {
            return (
                column with
                {
                    Reason = reason!,
                },
                new TextColumnDrift
                {
                    Column = name,
                    Meaning = reason!,
                    Descriptors = descriptors,
                }
            );
        }
        var refSample = Sample(refTexts, sampleSize);
        var curSample = Sample(curTexts, sampleSize);
        var refVectors = embedder.Embed(refSample);
        var curVectors = embedder.Embed(curSample);
        var result = DomainClassifier.Test(refVectors, curVectors);
        var mmd = Mmd.Test(refVectors, curVectors, DomainClassifier.Permutations, seed: 15);
        var meaning = Meaning(result);
        return (
            column with
            {
                Statistic = result.Auc,
                PValue = result.PValue,
                Threshold = result.Bar,
                Drift = result.Drift,
                Meaning = meaning,
            },
            new TextColumnDrift
            {
                Column = name,
                Model = embedder.ModelName,
                ReferenceSampled = refSample.Count,
                CurrentSampled = curSample.Count,
                Auc = result.Auc,
                ChanceAuc = result.ChanceAuc,
                Mmd = mmd.Statistic,
                MmdPValue = mmd.PValue,
                Threshold = result.Bar,
                Drift = result.Drift,
                Meaning = meaning,
                Descriptors = descriptors,
            }
        );
    }

    /// <summary>The outcome in words, for people.</summary>
    private static string Meaning(DomainClassifier.Result r)
    {
        var auc = r.Auc.ToString("0.00", CultureInfo.InvariantCulture);
        var bar = r.Bar.ToString("0.00", CultureInfo.InvariantCulture);
        var why =
            r.ChanceAuc > DomainClassifier.MinAuc
                ? $"drift above {bar}, what shuffled labels reach 1 time in 20 on samples this size"
                : $"drift above {bar}, Evidently's bar";
        return r.Drift
            ? $"the wording has drifted: a classifier tells the current texts from the reference's with ROC AUC {auc} ({why}; 0.5 is chance)"
            : $"the wording has not drifted: a classifier tells the current texts from the reference's with ROC AUC {auc}, no better than chance allows ({why}; 0.5 is chance)";
    }

    private static List<string> Texts(Column column)
    {
        var texts = new List<string>(column.Count - column.MissingCount);
        for (var row = 0; row < column.Count; row++)
        {
            if (column.Text(row) is { } text)
            {
                texts.Add(text);
            }
        }
        return texts;
    }

    /// <summary>At most <paramref name="size"/> texts, picked by <see cref="StableSample"/> on their row positions.</summary>
    private static List<string> Sample(List<string> texts, int size)
    {
        if (texts.Count <= size)
        {
            return texts;
        }
        var rows = Enumerable.Range(0, texts.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        return [.. StableSample.Pick(rows, size).Select(r => texts[int.Parse(r, CultureInfo.InvariantCulture)])];
    }

    private static List<ColumnDrift> Descriptors(
        string name,
        List<string> refTexts,
        List<string> curTexts,
        int minSamples
    )
    {
        var refWords = refTexts.Select(TextDescriptors.Words).ToList();
        var curWords = curTexts.Select(TextDescriptors.Words).ToList();
        var vocabulary = TextDescriptors.RowsWithWord(refWords);
        (string Suffix, Func<string, IReadOnlyList<string>, bool, double> Of)[] numeric =
        [
            ("length", (t, _, _) => TextDescriptors.Length(t)),
            ("words", (_, w, _) => w.Count),
            ("unknown_words", (_, w, own) => TextDescriptors.UnknownWordShare(w, vocabulary, own)),
            ("non_ascii_letters", (t, _, _) => TextDescriptors.NonAsciiLetterShare(t)),
        ];
        var results = new List<ColumnDrift>();
        foreach (var (suffix, of) in numeric)
        {
            var columnName = $"{name}.{suffix}";
            double[] Values(List<string> texts, List<List<string>> words, bool own) =>
                [.. texts.Select((t, i) => of(t, words[i], own))];
            results.Add(
                Test(
                    new NumericColumn(columnName, Values(refTexts, refWords, true), refTexts.Count),
                    new NumericColumn(columnName, Values(curTexts, curWords, false), curTexts.Count),
                    minSamples
                )
            );
        }
        results.Add(Test(Languages($"{name}.language", refWords), Languages($"{name}.language", curWords), minSamples));
        return results;
    }

    private static ColumnDrift Test(Column reference, Column current, int minSamples) =>
        // The descriptors are derived, so a jump in their missing share or an unseen language is not a schema change.
        DriftAnalyzer.AnalyzeColumn(reference, current, null, double.PositiveInfinity, minSamples, []);

    private static CategoricalColumn Languages(string name, List<List<string>> words)
    {
        var categories = new List<string>();
        var codes = new int[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var language = LanguageGuess.Of(words[i]);
            var code = categories.IndexOf(language);
            if (code < 0)
            {
                code = categories.Count;
                categories.Add(language);
            }
            codes[i] = code;
        }
        return new CategoricalColumn(name, codes, words.Count, categories);
    }
}
