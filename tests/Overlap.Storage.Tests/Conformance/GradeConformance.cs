using Overlap.Core.Generative;
using Overlap.Core.Sampling;
using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>Rubric grades: people's grades stored with review decisions, and a model judge's grades with their cost.</summary>
public abstract class GradeConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static PredictionEvent Output(int i) =>
        new()
        {
            Id = $"o{i}",
            Feature = "replies",
            Time = Noon.AddMinutes(i),
            Output = $"reply {i}",
        };

    private static ModelGrade Graded(int i, string criterion, int? grade, double? cost, DateTimeOffset at) =>
        new(
            "replies",
            $"o{i}",
            criterion,
            grade,
            grade is null ? "no verdict: malformed" : "fine",
            "gpt-test",
            100 + i,
            10,
            cost,
            TimeSpan.FromMilliseconds(250),
            Noon.AddMinutes(i),
            at
        );

    [Fact]
    public async Task A_decision_keeps_its_grades_and_settled_grades_are_read_by_prediction_time()
    {
        await using (var store = Open())
        {
            await store.Sink.AppendAsync([.. Enumerable.Range(0, 3).Select(Output)], Noon);
            await store.Reviews.RouteForReviewAsync(
                "replies",
                double.PositiveInfinity,
                double.NegativeInfinity,
                1,
                0,
                Noon
            );
            foreach (var (i, clarity) in new[] { (0, 4), (1, 2), (2, 5) })
            {
                var at = Noon.AddHours(1 + i);
                await store.Reviews.ClaimReviewItemAsync("replies", $"o{i}", "ana", at, at.AddMinutes(10));
                var decision = new ReviewDecision("replies", $"o{i}", "ana", "approve", null, null, null, at)
                {
                    Grades = new Dictionary<string, int> { ["informative"] = i % 2, ["clarity"] = clarity },
                };
                Assert.True(await store.Reviews.DecideReviewItemAsync(decision, ReviewStatus.Decided));
            }
        }
        // Reopened: the grades survive, and [from, to) is by the time the output was predicted.
        await using var reopened = Open();
        var stored = Assert.Single(await reopened.Reviews.ReviewDecisionsAsync("replies", "o1"));
        Assert.Equal(new Dictionary<string, int> { ["clarity"] = 2, ["informative"] = 1 }, stored.Grades);
        var grades = await reopened.Reviews.ReviewGradesAsync("replies", Noon, Noon.AddMinutes(2));
        Assert.Equal(
            [
                new RubricGrade("o0", "clarity", 4, GradeSource.Person),
                new RubricGrade("o0", "informative", 0, GradeSource.Person),
                new RubricGrade("o1", "clarity", 2, GradeSource.Person),
                new RubricGrade("o1", "informative", 1, GradeSource.Person),
            ],
            grades
        );
        Assert.Empty(await reopened.Reviews.ReviewGradesAsync("other", Noon, Noon.AddDays(1)));
    }

    [Fact]
    public async Task Model_grades_are_read_by_prediction_time_once_each_and_spend_is_per_UTC_day()
    {
        var today = Noon.AddHours(3);
        await using (var store = Open())
        {
            await store.ModelGrades.AppendModelGradesAsync([
                Graded(0, "clarity", 4, 0.002, today),
                Graded(0, "informative", 1, 0.001, today),
                Graded(1, "clarity", null, null, today),
                Graded(5, "clarity", 2, 0.5, Midnight.AddDays(-1).AddHours(23)),
            ]);
            // The same output and criterion again: the first grade stays.
            await store.ModelGrades.AppendModelGradesAsync([Graded(0, "clarity", 1, 9, today)]);
        }
        await using var reopened = Open();
        var grades = await reopened.ModelGrades.ModelGradesAsync("replies", Noon, Noon.AddMinutes(5));
        Assert.Equal(
            [("o0", "clarity", (int?)4), ("o0", "informative", 1), ("o1", "clarity", null)],
            grades.Select(g => (g.OutputId, g.Criterion, g.Grade))
        );
        var first = grades[0];
        Assert.Equal(
            ("gpt-test", 100L, 10L, 0.002, TimeSpan.FromMilliseconds(250), Noon, today),
            (
                first.Model,
                first.InputTokens!.Value,
                first.OutputTokens!.Value,
                first.Cost!.Value,
                first.Latency,
                first.PredictedAt,
                first.GradedAt
            )
        );
        Assert.Null(grades[2].Cost);
        Assert.Equal(0.003, await reopened.ModelGrades.ModelSpendAsync("replies", today), 12);
        Assert.Equal(0.5, await reopened.ModelGrades.ModelSpendAsync("replies", Midnight.AddHours(-1)), 12);
        Assert.Equal(0, await reopened.ModelGrades.ModelSpendAsync("other", today));
        Assert.Equal(
            new HashSet<string> { "o0", "o5" },
            await reopened.ModelGrades.ModelGradedAsync("replies", ["o0", "o5", "o9"])
        );
    }

    [Fact]
    public async Task Outputs_to_grade_are_the_salted_stable_sample_without_those_graded()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 400).Select(Output)], Noon);
        var expected = Enumerable
            .Range(0, 400)
            .Select(i => $"o{i}")
            .Where(id => StableSample.Takes(id + "#judge", 0.3))
            .ToHashSet();
        var picked = await store.ModelGrades.OutputsToGradeAsync("replies", 0.3, "#judge", 1000);
        Assert.Equal(expected, picked.Select(o => o.Id).ToHashSet());
        // Salted: not the sample the people's queue takes of the same ids.
        Assert.NotEqual(
            Enumerable.Range(0, 400).Select(i => $"o{i}").Where(id => StableSample.Takes(id, 0.3)).ToHashSet(),
            expected
        );
        var first = picked[0];
        Assert.Equal(
            (
                Noon.AddMinutes(int.Parse(first.Id[1..], System.Globalization.CultureInfo.InvariantCulture)),
                $"reply {first.Id[1..]}"
            ),
            (first.PredictedAt, first.Output)
        );
        await store.ModelGrades.AppendModelGradesAsync([
            Graded(
                int.Parse(first.Id[1..], System.Globalization.CultureInfo.InvariantCulture),
                "clarity",
                3,
                0.1,
                Noon
            ),
        ]);
        var rest = await store.ModelGrades.OutputsToGradeAsync("replies", 0.3, "#judge", 1000);
        Assert.Equal(expected.Count - 1, rest.Count);
        Assert.DoesNotContain(first.Id, rest.Select(o => o.Id));
        Assert.Equal(5, (await store.ModelGrades.OutputsToGradeAsync("replies", 0.3, "#judge", 5)).Count);
    }

    [Fact]
    public async Task One_caller_holds_a_features_grading_at_a_time()
    {
        await using var store = Open();
        var held = await store.ModelGrades.HoldGradingAsync("replies");
        Assert.NotNull(held);
        // Asked again while held: not given (on PostgreSQL each hold is its own session, as another server's would be).
        Assert.Null(await store.ModelGrades.HoldGradingAsync("replies"));
        // Another feature's grading is its own.
        var other = await store.ModelGrades.HoldGradingAsync("summaries");
        Assert.NotNull(other);
        await held.DisposeAsync();
        // Let go, it can be held again; letting go twice is harmless.
        await held.DisposeAsync();
        var again = await store.ModelGrades.HoldGradingAsync("replies");
        Assert.NotNull(again);
        Assert.Null(await store.ModelGrades.HoldGradingAsync("replies"));
        await again.DisposeAsync();
        await other.DisposeAsync();
    }
}
