using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Judges;

namespace Overlap.Cli.Commands;

/// <summary>
/// The model judge's part of <c>overlap eval</c> on a generative contract: when the contract names <c>judges.model</c>
/// and its endpoint can be reached, every case is graded on every criterion (answers cached, so a re-run costs nothing),
/// the grades are compared with people's where both graded, and the model's grades count only on the criteria where
/// it can stand in for people.
/// </summary>
internal static class EvalJudge
{
    /// <summary>
    /// Grades the cases and returns <paramref name="options"/> with the model's grades and the criteria they count on,
    /// and the judge's summary for the report; the options unchanged and no summary when the contract has no model judge.
    /// A judge whose environment variables are unset does not run, and the summary says why.
    /// </summary>
    public static async Task<(GenerativeOptions Options, ModelJudgeSummary? Summary)> RunAsync(
        Contract contract,
        Table table,
        GenerativeOptions options,
        bool skip,
        string? cacheFolder,
        CancellationToken cancellationToken
    ) =>
        (
            await RunColumnsAsync(
                    contract,
                    table,
                    [contract.Columns.Output!],
                    options,
                    skip,
                    cacheFolder,
                    cancellationToken
                )
                .ConfigureAwait(false)
        )[0];

    /// <summary>
    /// The same for each output column of a matrix, in order, by one judge: the cache, the day's budget and the reason
    /// it did not run are shared, and each column's grades are compared with people's grades of that column
    /// (<c>rubric.&lt;name&gt;</c> for the contract's own output, <c>rubric.&lt;name&gt;.&lt;column&gt;</c> for another).
    /// </summary>
    public static async Task<IReadOnlyList<(GenerativeOptions Options, ModelJudgeSummary? Summary)>> RunColumnsAsync(
        Contract contract,
        Table table,
        IReadOnlyList<string> outputs,
        GenerativeOptions options,
        bool skip,
        string? cacheFolder,
        CancellationToken cancellationToken
    )
    {
        var spec = contract.Generative!;
        if (spec.Judges?.Model is not { } policy || spec.Rubric.Count == 0)
        {
            return [.. outputs.Select(_ => (options, (ModelJudgeSummary?)null))];
        }
        if (skip)
        {
            return NotRun(outputs, options, policy, "--no-judge was given");
        }
        ModelJudge judge;
        try
        {
            judge = JudgeClients.CreateJudge(
                policy,
                new ModelJudgeOptions
                {
                    Model = policy.Model,
                    Cache = new JudgeCache(cacheFolder ?? JudgeCache.DefaultFolder()),
                }
            );
        }
        catch (JudgeSetupException e)
        {
            return NotRun(outputs, options, policy, e.Message);
        }
        var results = new List<(GenerativeOptions, ModelJudgeSummary?)>(outputs.Count);
        foreach (var output in outputs)
        {
            var column = Evaluator.ForOutput(contract, output);
            JudgeRun run;
            try
            {
                run = await judge
                    .GradeAsync(spec.Rubric, Cases(column, table), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (JudgeSetupException e)
            {
                throw new UserException(ExitCodes.Unavailable, e.Message);
            }
            var agreements = JudgeAgreement.Of(
                spec.Rubric,
                Evaluator.PeopleGrades(contract, table, Evaluator.GradeSuffix(contract, output)).Concat(run.Grades),
                spec.Judges.MinAgreement,
                contract.Confidence
            );
            var trusted = JudgeAgreement.Trusted(agreements);
            var summary = new ModelJudgeSummary
            {
                Model = judge.Options.Model,
                Asked = run.Answers.Count,
                Graded = run.Answers.Count - run.NoVerdict,
                NoVerdict = run.NoVerdict,
                FromCache = run.FromCache,
                SkippedForBudget = run.SkippedForBudget,
                Usage = run.Usage.Describe(contract.Costs.Currency),
                Agreements = agreements,
                Counted = [.. spec.Rubric.Select(c => c.Name).Where(trusted.Contains)],
            };
            results.Add((options with { ModelGrades = run.Grades, TrustedCriteria = trusted }, summary));
        }
        return results;
    }

    private static List<(GenerativeOptions, ModelJudgeSummary?)> NotRun(
        IReadOnlyList<string> outputs,
        GenerativeOptions options,
        ModelJudgePolicy policy,
        string reason
    ) =>
        [
            .. outputs.Select(_ =>
                (options, (ModelJudgeSummary?)new ModelJudgeSummary { Model = policy.Model, NotRun = reason })
            ),
        ];

    private static List<JudgeCase> Cases(Contract contract, Table table)
    {
        var c = contract.Columns;
        var id = c.Id is { } idName ? table.Find(idName) : null;
        var input = c.Input is { } inputName ? table.Find(inputName) : null;
        var output = table.Find(c.Output!);
        var reference = c.Reference is { } referenceName ? table.Find(referenceName) : null;
        var cases = new List<JudgeCase>(table.RowCount);
        for (var i = 0; i < table.RowCount; i++)
        {
            // A case is graded only when its grade can be matched back by id and there is an output to grade.
            if (id?.Text(i) is { } caseId && output?.Text(i) is { } text)
            {
                cases.Add(new JudgeCase(caseId, input?.Text(i) ?? "", text, reference?.Text(i)));
            }
        }
        return cases;
    }
}
