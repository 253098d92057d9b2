using System.Globalization;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Demo.Corpus;
using Overlap.Demo.Data;
using Overlap.Demo.Model;

namespace Overlap.Demo.Tests.Model;

/// <summary>
/// The v1 model on the real corpus. Its held-out ROC AUC is computed by Overlap's evaluator and checked against
/// scikit-learn's <c>roc_auc_score</c> on the same scores (Fixtures/scores/make_auc_fixtures.py).
/// </summary>
[Collection("corpus")]
public sealed class SpamModelTests(CorpusFixture fixture)
{
    private static readonly JsonElement Sklearn = JsonDocument
        .Parse(File.ReadAllText(Fixtures.Path("scores", "auc_expected.json")))
        .RootElement;

    [Theory]
    [InlineData("holdout")]
    [InlineData("production")]
    public void Overlaps_roc_auc_on_the_committed_scores_is_sklearns(string slice)
    {
        var report = Evaluate(File.ReadAllText(Fixtures.Path("scores", slice + ".csv")));

        Assert.Equal(
            Sklearn.GetProperty(slice).GetProperty("roc_auc").GetDouble(),
            report.Metrics["roc_auc"].Value,
            12
        );
        Assert.Equal(Sklearn.GetProperty(slice).GetProperty("n").GetInt64(), report.N);
    }

    [Theory]
    [InlineData("holdout")]
    [InlineData("production")]
    public void The_model_trained_here_gives_the_committed_scores(string slice)
    {
        var (messages, scores) =
            slice == "holdout"
                ? (fixture.Split.Holdout, fixture.HoldoutScores)
                : (fixture.Split.Production, fixture.ProductionScores);
        var committed = File.ReadAllLines(Fixtures.Path("scores", slice + ".csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToList();

        Assert.Equal(committed.Select(c => c[0]), messages.Select(m => m.Id));
        var p = SpamDemoData.Columns.ToList().IndexOf("p_spam");
        for (var i = 0; i < committed.Count; i++)
        {
            Assert.Equal(double.Parse(committed[i][p], CultureInfo.InvariantCulture), scores[i], 5);
        }
    }

    [Fact]
    public void The_model_separates_spam_from_legitimate_mail_before_and_after_release()
    {
        // Measured: 0.9966 on the held-out early mail, 0.9792 on the later mail (new spam campaigns, other mailing lists).
        var holdout = Evaluate(Csv(fixture.Split.Holdout, fixture.HoldoutScores)).Metrics["roc_auc"];
        var production = Evaluate(Csv(fixture.Split.Production, fixture.ProductionScores)).Metrics["roc_auc"];

        Assert.True(holdout.CiLow >= 0.99, $"held-out ROC AUC {holdout}");
        Assert.True(production.CiLow >= 0.97, $"production ROC AUC {production}");
        Assert.True(production.Value < holdout.Value, "later mail is harder than mail from the training weeks");
    }

    [Fact]
    public void Training_again_with_the_same_seed_gives_the_same_scores()
    {
        var again = SpamModel.Train(fixture.Split.Train, "v1");

        Assert.Equal(fixture.HoldoutScores, again.ScoreAll(fixture.Split.Holdout));
    }

    [Fact]
    public void Score_one_message_matches_the_batch()
    {
        var sample = fixture.Split.Holdout.Take(50).ToList();
        var one = sample.Select(fixture.Model.Score).ToList();

        for (var i = 0; i < sample.Count; i++)
        {
            Assert.Equal(fixture.HoldoutScores[i], one[i], 6);
            Assert.InRange(one[i], 0, 1);
        }
    }

    [Fact]
    public void Save_and_Load_keep_the_scores_and_the_version()
    {
        var folder = Directory.CreateTempSubdirectory("overlap-model-").FullName;
        try
        {
            var path = Path.Combine(folder, "spam-v1.zip");
            fixture.Model.Save(path);
            var loaded = SpamModel.Load(path);

            Assert.True(File.Exists(Path.Combine(folder, "spam-v1.json")));
            Assert.Equal("v1", loaded.Version);
            Assert.Equal(fixture.Model.Info, loaded.Info);
            Assert.Equal(fixture.Split.Train.Count, loaded.Info.Examples);
            Assert.Equal(fixture.Split.Train.Count(m => m.IsSpam), loaded.Info.SpamExamples);
            Assert.Equal(fixture.HoldoutScores, loaded.ScoreAll(fixture.Split.Holdout));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Retrain_on_production_labels_does_better_on_the_mail_after_them()
    {
        var production = fixture.Split.Production;
        var labelled = production.Take(production.Count / 2).ToList();
        var later = production.Skip(labelled.Count).ToList();

        var v2 = fixture.Model.Retrain(fixture.Split.Train.Concat(labelled).Select(SpamExample.From), "v2");

        Assert.Equal("v2", v2.Version);
        Assert.Equal(fixture.Model.Info.Options, v2.Info.Options);
        Assert.Equal(fixture.Split.Train.Count + labelled.Count, v2.Info.Examples);
        var v1Auc = Evaluate(Csv(later, fixture.ProductionScores.Skip(labelled.Count).ToList()))
            .Metrics["roc_auc"]
            .Value;
        var v2Auc = Evaluate(Csv(later, v2.ScoreAll(later))).Metrics["roc_auc"].Value;
        Assert.True(v2Auc > v1Auc, $"v2 {v2Auc} v1 {v1Auc}");
    }

    [Fact]
    public void Train_refuses_examples_of_one_class()
    {
        var ham = fixture.Split.Train.Where(m => !m.IsSpam).Take(20);

        Assert.Throws<ArgumentException>(() => SpamModel.Train(ham, "v0"));
    }

    private static string Csv(IReadOnlyList<SpamMessage> messages, IReadOnlyList<double> scores)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        SpamDemoData.WriteScoredCsv(writer, messages, scores);
        return writer.ToString();
    }

    internal static EvaluationReport Evaluate(string csv)
    {
        var contract = ContractParser.Parse(
            File.ReadAllText(Fixtures.Path("spam-filter", "overlap.yaml")),
            "overlap.yaml"
        );
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "scored.csv")
        );
        return Evaluator.Evaluate(contract, table);
    }
}
