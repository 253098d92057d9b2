using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    private const string ModelGradeColumns =
        "feature, output_id, criterion, grade, reason, model, input_tokens, output_tokens, cost, latency_us, predicted_us, graded_us";

    /// <inheritdoc />
    public async Task AppendModelGradesAsync(
        IReadOnlyList<ModelGrade> grades,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(grades);
        foreach (var g in grades)
        {
            await WriteAsync(
                    $"INSERT INTO model_grades ({ModelGradeColumns}) VALUES ($feature, $id, $criterion, $grade, $reason, $model, "
                        + "$input, $output, $cost, $latency, $predicted, $graded) ON CONFLICT DO NOTHING",
                    cancellationToken,
                    ("feature", g.Feature),
                    ("id", g.OutputId),
                    ("criterion", g.Criterion),
                    ("grade", (object?)g.Grade ?? DBNull.Value),
                    ("reason", g.Reason),
                    ("model", g.Model),
                    ("input", (object?)g.InputTokens ?? DBNull.Value),
                    ("output", (object?)g.OutputTokens ?? DBNull.Value),
                    ("cost", g.Cost is { } c && double.IsFinite(c) ? c : DBNull.Value),
                    ("latency", (long)(g.Latency.Ticks / TimeSpan.TicksPerMicrosecond)),
                    ("predicted", UnixMicroseconds.From(g.PredictedAt)),
                    ("graded", UnixMicroseconds.From(g.GradedAt))
                )
                .ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelGrade>> ModelGradesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            $"SELECT {ModelGradeColumns} FROM model_grades WHERE feature = $feature AND predicted_us >= $from AND predicted_us < $to "
                + "ORDER BY output_id, criterion",
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
                UnixMicroseconds.ToTime(r.GetInt64(10)),
                UnixMicroseconds.ToTime(r.GetInt64(11))
            ),
            cancellationToken,
            ("feature", feature),
            ("from", UnixMicroseconds.From(from)),
            ("to", UnixMicroseconds.From(to))
        );

    /// <inheritdoc />
    public async Task<double> ModelSpendAsync(
        string feature,
        DateTimeOffset day,
        CancellationToken cancellationToken = default
    )
    {
        var start = new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero);
        return (
            await QueryAsync(
                    "SELECT coalesce(sum(cost), 0) FROM model_grades WHERE feature = $feature AND graded_us >= $from AND graded_us < $to",
                    r => r.GetDouble(0),
                    cancellationToken,
                    ("feature", feature),
                    ("from", UnixMicroseconds.From(start)),
                    ("to", UnixMicroseconds.From(start.AddDays(1)))
                )
                .ConfigureAwait(false)
        )[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutputToGrade>> OutputsToGradeAsync(
        string feature,
        double share,
        string salt,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT p.id, p.time_us, p.inputs, p.output FROM "
                + StoreSchema.FirstReceived(
                    "predictions",
                    $"feature = $feature AND output IS NOT NULL AND {RuleFunctions.Takes}(id || $salt, $share)"
                )
                + " p WHERE NOT EXISTS (SELECT 1 FROM model_grades g WHERE g.feature = p.feature AND g.output_id = p.id) "
                + "ORDER BY p.received_us, p.id LIMIT $limit",
            r => new OutputToGrade(
                r.GetString(0),
                UnixMicroseconds.ToTime(r.GetInt64(1)),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.GetString(3)
            ),
            cancellationToken,
            ("feature", feature),
            ("salt", salt),
            ("share", share),
            ("limit", limit)
        );

    /// <inheritdoc />
    /// <remarks>One process opens the file, so the holds are this store's own: one per feature at a time.</remarks>
    public Task<IAsyncDisposable?> HoldGradingAsync(string feature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var gate = _gradingHolds.GetOrAdd(feature, _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<IAsyncDisposable?>(gate.Wait(0, CancellationToken.None) ? new Release(gate) : null);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _gradingHolds = new(
        StringComparer.Ordinal
    );

    /// <summary>A hold on a feature's grading: disposed once, it lets the gate go.</summary>
    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
            return ValueTask.CompletedTask;
        }
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
                "SELECT DISTINCT output_id FROM model_grades WHERE feature = $feature AND list_contains($ids, output_id)",
                r => r.GetString(0),
                cancellationToken,
                ("feature", feature),
                ("ids", outputIds.ToArray())
            )
            .ConfigureAwait(false);
        return graded.ToHashSet(StringComparer.Ordinal);
    }
}
