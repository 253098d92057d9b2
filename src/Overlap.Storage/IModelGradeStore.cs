namespace Overlap.Storage;

/// <summary>
/// The grades a model judge gave production outputs, with what each cost: what the server's judge writes and what the
/// per-window rubric figures and the judge's daily budget read.
/// </summary>
public interface IModelGradeStore
{
    /// <summary>Stores the grades; a grade of an output on a criterion already stored is kept as it was.</summary>
    Task AppendModelGradesAsync(IReadOnlyList<ModelGrade> grades, CancellationToken cancellationToken = default);

    /// <summary>The feature's model grades of outputs predicted in [<paramref name="from"/>, <paramref name="to"/>), by output then criterion.</summary>
    Task<IReadOnlyList<ModelGrade>> ModelGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    );

    /// <summary>What the feature's judge spent (known costs added up) on grades given during the UTC day that holds <paramref name="day"/>.</summary>
    Task<double> ModelSpendAsync(string feature, DateTimeOffset day, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> of the feature's outputs the judge has not graded, oldest received first, among
    /// the share <paramref name="share"/> that <see cref="Core.Sampling.StableSample.Takes"/> picks by the output's id
    /// followed by <paramref name="salt"/> (so the judge's sample is independent of the people's).
    /// </summary>
    Task<IReadOnlyList<OutputToGrade>> OutputsToGradeAsync(
        string feature,
        double share,
        string salt,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Holds the feature's grading for the caller until the returned hold is disposed, so that of several servers over
    /// one store one judge picks and grades a feature's outputs at a time (two would pay for the same answers, and each
    /// would check the day's budget before the other's cost was stored); null when another caller holds it now (that
    /// one grades what both would have). A holder that dies lets go with its connection.
    /// </summary>
    Task<IAsyncDisposable?> HoldGradingAsync(string feature, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="outputIds"/> the judge graded already (on any criterion).</summary>
    Task<IReadOnlySet<string>> ModelGradedAsync(
        string feature,
        IReadOnlyList<string> outputIds,
        CancellationToken cancellationToken = default
    );
}

/// <summary>
/// One model grade of one production output on one criterion: the grade (null for no verdict, with the reason), the
/// model, its tokens and cost (null when unknown), how long the answer took, and when the output was predicted and graded.
/// </summary>
public sealed record ModelGrade(
    string Feature,
    string OutputId,
    string Criterion,
    int? Grade,
    string Reason,
    string Model,
    long? InputTokens,
    long? OutputTokens,
    double? Cost,
    TimeSpan Latency,
    DateTimeOffset PredictedAt,
    DateTimeOffset GradedAt
);

/// <summary>A production output waiting for the model judge: its id, when it was predicted, its inputs (JSON) and its text.</summary>
public sealed record OutputToGrade(string Id, DateTimeOffset PredictedAt, string? Inputs, string Output);
