using Npgsql;
using Overlap.Core.Sampling;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string ModelGradeColumns =
        "feature, output_id, criterion, grade, reason, model, input_tokens, output_tokens, cost, latency_us, "
        + "predicted_at, graded_at";

    /// <inheritdoc />
    public async Task AppendModelGradesAsync(
        IReadOnlyList<ModelGrade> grades,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(grades);
        if (grades.Count == 0)
        {
            return;
        }
        await InTransactionAsync(
                async connection =>
                {
                    await using var batch = new NpgsqlBatch(connection);
                    foreach (var g in grades)
                    {
                        var command = new NpgsqlBatchCommand(
                            $"INSERT INTO model_grades ({ModelGradeColumns}) VALUES (@feature, @id, @criterion, @grade, "
                                + "@reason, @model, @input, @output, @cost, @latency, @predicted, @graded) "
                                + "ON CONFLICT DO NOTHING"
                        );
                        AddParameters(
                            command.Parameters,
                            [
                                ("feature", g.Feature),
                                ("id", g.OutputId),
                                ("criterion", g.Criterion),
                                ("grade", g.Grade),
                                ("reason", g.Reason),
                                ("model", g.Model),
                                ("input", g.InputTokens),
                                ("output", g.OutputTokens),
                                ("cost", g.Cost is { } c && double.IsFinite(c) ? c : null),
                                ("latency", g.Latency.Ticks / TimeSpan.TicksPerMicrosecond),
                                ("predicted", g.PredictedAt),
                                ("graded", g.GradedAt),
                            ]
                        );
                        batch.BatchCommands.Add(command);
                    }
                    return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelGrade>> ModelGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            $"SELECT {ModelGradeColumns} FROM model_grades WHERE feature = @feature AND predicted_at >= @from "
                + "AND predicted_at < @to ORDER BY output_id COLLATE \"C\", criterion COLLATE \"C\"",
            r => new ModelGrade(
                r.GetString(0),
                r.GetString(1),
                r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt32(3),
                r.GetString(4),
                r.GetString(5),
                r.IsDBNull(6) ? null : r.GetInt64(6),
                r.IsDBNull(7) ? null : r.GetInt64(7),
                r.IsDBNull(8) ? null : r.GetDouble(8),
                TimeSpan.FromTicks(r.GetInt64(9) * TimeSpan.TicksPerMicrosecond),
                Time(r, 10),
                Time(r, 11)
            ),
            cancellationToken,
            ("feature", feature),
            ("from", from),
            ("to", to)
        );

    /// <inheritdoc />
    public async Task<double> ModelSpendAsync(
        string feature,
        DateTimeOffset day,
        CancellationToken cancellationToken = default
    )
    {
        var start = new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero);
        var spent = await ScalarAsync(
                "SELECT coalesce(sum(cost), 0) FROM model_grades WHERE feature = @feature AND graded_at >= @from "
                    + "AND graded_at < @to",
                cancellationToken,
                ("feature", feature),
                ("from", start),
                ("to", start.AddDays(1))
            )
            .ConfigureAwait(false);
        return (double)spent!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> ModelGradedAsync(
        string feature,
        IReadOnlyList<string> outputIds,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(outputIds);
        if (outputIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var graded = await QueryAsync(
                "SELECT DISTINCT output_id FROM model_grades WHERE feature = @feature AND output_id = ANY(@ids)",
                r => r.GetString(0),
                cancellationToken,
                ("feature", feature),
                ("ids", outputIds.ToArray())
            )
            .ConfigureAwait(false);
        return graded.ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    /// <remarks>A session-level advisory lock per feature, on a connection the hold keeps open.</remarks>
    public Task<IAsyncDisposable?> HoldGradingAsync(string feature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return HoldAsync(GradingLock, feature, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The outputs are read from the event store in the order it received them, from where every picked output was
    /// graded already (kept per feature and salt in <c>judge_positions</c>, less <see cref="RoutingLookBack"/> so an
    /// output stored a little late is still picked); the ones graded are found in <c>model_grades</c>.
    /// </remarks>
    public async Task<IReadOnlyList<OutputToGrade>> OutputsToGradeAsync(
        string feature,
        double share,
        string salt,
        int limit,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var reader = EventReader();
        var stored = await QueryAsync(
                "SELECT received_at, prediction_id FROM judge_positions WHERE feature = @feature AND salt = @salt "
                    + "AND share = @share",
                r => new ReceivedPosition(Time(r, 0), r.GetString(1)),
                cancellationToken,
                ("feature", feature),
                ("salt", salt),
                ("share", share)
            )
            .ConfigureAwait(false);
        var done = stored.Count == 0 ? ReceivedPosition.Start : stored[0];
        var after = stored.Count == 0 ? done : ReceivedPosition.Before(done.Received - RoutingLookBack);
        var picked = new List<OutputToGrade>();
        var allGraded = true;
        while (picked.Count < limit)
        {
            var page = await reader
                .PredictionsAfterAsync(feature, after, PredictionPage, cancellationToken)
                .ConfigureAwait(false);
            var candidates = page.Where(p => p.Output is not null && StableSample.Takes(p.Id + salt, share)).ToList();
            var graded = await ModelGradedAsync(feature, [.. candidates.Select(p => p.Id)], cancellationToken)
                .ConfigureAwait(false);
            var waiting = candidates
                .Where(p => !graded.Contains(p.Id))
                .Select(p => p.Id)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var p in page)
            {
                if (waiting.Contains(p.Id))
                {
                    allGraded = false;
                    if (picked.Count < limit)
                    {
                        picked.Add(new OutputToGrade(p.Id, p.Time, p.Inputs, p.Output!));
                    }
                }
                else if (allGraded && Later(p.Position, done))
                {
                    done = p.Position;
                }
            }
            if (page.Count < PredictionPage)
            {
                break;
            }
            after = page[^1].Position;
        }
        await WriteAsync(
                "INSERT INTO judge_positions (feature, salt, share, received_at, prediction_id) "
                    + "VALUES (@feature, @salt, @share, @received, @id) ON CONFLICT (feature, salt) DO UPDATE "
                    + "SET share = excluded.share, received_at = excluded.received_at, "
                    + "prediction_id = excluded.prediction_id",
                cancellationToken,
                ("feature", feature),
                ("salt", salt),
                ("share", share),
                ("received", done.Received),
                ("id", done.Id)
            )
            .ConfigureAwait(false);
        return picked;
    }

    /// <summary>Whether <paramref name="a"/> comes after <paramref name="b"/> in the order of receipt.</summary>
    private static bool Later(ReceivedPosition a, ReceivedPosition b) =>
        a.Received > b.Received || (a.Received == b.Received && string.CompareOrdinal(a.Id, b.Id) > 0);
}
