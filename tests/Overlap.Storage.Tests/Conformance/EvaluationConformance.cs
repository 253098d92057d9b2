namespace Overlap.Storage.Tests.Conformance;

/// <summary>Evaluation runs: kept per feature, newest first, with growing ids and their reports, across a reopen.</summary>
public abstract class EvaluationConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task Runs_AreKeptPerFeature_NewestFirst_WithTheirReport_AcrossAReopen()
    {
        EvaluationRun first,
            second;
        await using (var store = Open())
        {
            first = await store.Evaluations.AddEvaluationRunAsync(
                new NewEvaluationRun(
                    "fraud",
                    3,
                    "model v1",
                    "ana",
                    Noon,
                    "upload",
                    6000,
                    "fail",
                    """{"feature":"fraud","n":6000}"""
                )
            );
            second = await store.Evaluations.AddEvaluationRunAsync(
                new NewEvaluationRun(
                    "fraud",
                    null,
                    "model v2 — «new»",
                    "raj",
                    Noon.AddHours(1),
                    "run",
                    3000,
                    "pass",
                    """{"feature":"fraud","n":3000}"""
                )
            );
            await store.Evaluations.AddEvaluationRunAsync(
                new NewEvaluationRun("spam", 1, "other feature", "ana", Noon, "upload", 10, "inconclusive", "{}")
            );
            Assert.True(second.Id > first.Id);
        }
        await using var reopened = Open();
        var runs = await reopened.Evaluations.ListEvaluationRunsAsync("fraud");
        Assert.Equal([second, first], runs);
        Assert.Equal(new EvaluationRun(first.Id, "fraud", 3, "model v1", "ana", Noon, "upload", 6000, "fail"), runs[1]);
        Assert.Null(runs[0].ContractVersion);
        var (run, report) = (await reopened.Evaluations.GetEvaluationRunAsync("fraud", second.Id))!.Value;
        Assert.Equal(second, run);
        Assert.Equal("""{"feature":"fraud","n":3000}""", report);
        // A run is found only under its own feature; a new run after the reopen still gets a larger id.
        Assert.Null(await reopened.Evaluations.GetEvaluationRunAsync("spam", second.Id));
        Assert.Null(await reopened.Evaluations.GetEvaluationRunAsync("fraud", 999));
        var third = await reopened.Evaluations.AddEvaluationRunAsync(
            new NewEvaluationRun("fraud", 3, "model v3", "ana", Noon.AddHours(2), "upload", 1, "pass", "{}")
        );
        Assert.True(third.Id > second.Id + 1);
        Assert.Equal(3, (await reopened.Evaluations.ListEvaluationRunsAsync("fraud")).Count);
    }
}
