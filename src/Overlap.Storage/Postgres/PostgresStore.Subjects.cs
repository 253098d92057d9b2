using System.Globalization;
using Npgsql;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore : ISubjectState
{
    /// <summary>Per piece of state about a prediction: its table and the column naming the prediction.</summary>
    private static readonly (string Table, string Column)[] SubjectTables =
    [
        ("review_items", "prediction_id"),
        ("review_decisions", "prediction_id"),
        ("model_grades", "output_id"),
    ];

    /// <inheritdoc />
    public Task<SubjectState> CountAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        CancellationToken cancellationToken = default
    ) => StateAsync(predictions, erase: false, cancellationToken);

    /// <inheritdoc />
    public Task<SubjectState> ForgetAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        CancellationToken cancellationToken = default
    ) => StateAsync(predictions, erase: true, cancellationToken);

    private Task<SubjectState> StateAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        bool erase,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var features = predictions.Select(p => p.Feature).ToArray();
        var ids = predictions.Select(p => p.Id).ToArray();
        var times = predictions.Select(p => p.Time.UtcDateTime).ToArray();
        const string Subject =
            "SELECT * FROM unnest(@features::text[], @ids::text[], @times::timestamptz[]) AS s(feature, id, time)";
        return InTransactionAsync(
            async connection =>
            {
                var counts = new long[SubjectTables.Length];
                for (var i = 0; i < SubjectTables.Length; i++)
                {
                    var (table, column) = SubjectTables[i];
                    var where =
                        $"FROM {table} t WHERE EXISTS (SELECT 1 FROM ({Subject}) s WHERE s.feature = t.feature AND s.id = t.{column})";
                    counts[i] = await CountOrDeleteAsync(connection, erase, where).ConfigureAwait(false);
                }
                var reports = await CountOrDeleteAsync(
                        connection,
                        erase,
                        $"FROM window_reports r WHERE EXISTS (SELECT 1 FROM ({Subject}) s WHERE s.feature = r.feature "
                            + "AND s.time >= r.window_start AND s.time < r.window_start + r.window_us * interval '1 microsecond')"
                    )
                    .ConfigureAwait(false);
                return new SubjectState(counts[0], counts[1], counts[2], reports);
            },
            cancellationToken
        );

        async Task<long> CountOrDeleteAsync(NpgsqlConnection connection, bool delete, string from)
        {
            var args = new (string, object?)[] { ("features", features), ("ids", ids), ("times", times) };
            return delete
                ? await WriteAsync(connection, $"DELETE {from}", cancellationToken, args).ConfigureAwait(false)
                : Convert.ToInt64(
                    await ScalarAsync(connection, $"SELECT count(*) {from}", cancellationToken, args)
                        .ConfigureAwait(false),
                    CultureInfo.InvariantCulture
                );
        }
    }
}
