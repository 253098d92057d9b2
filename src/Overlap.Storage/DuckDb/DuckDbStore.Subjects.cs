using System.Data.Common;
using System.Globalization;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore : ISubjectEvents, ISubjectState
{
    // A hashed value is stored as a JSON string, so its quoted form matches that value and nothing else.
    private const string SubjectPredictions =
        "SELECT DISTINCT feature, id, time_us FROM predictions WHERE contains(inputs, $needle) OR contains(attributes, $needle)";

    /// <summary>Per kind of event tied to a prediction, its table and the column naming the prediction.</summary>
    private static readonly (string Table, string Column)[] SubjectFollowers =
    [
        ("outcomes", "prediction_id"),
        ("feedback", "prediction_id"),
        ("business", "prediction_id"),
    ];

    /// <summary>Per piece of state about a prediction, its table and the column naming the prediction.</summary>
    private static readonly (string Table, string Column)[] SubjectStateTables =
    [
        ("review_items", "prediction_id"),
        ("review_decisions", "prediction_id"),
        ("model_grades", "output_id"),
    ];

    /// <inheritdoc />
    public async Task<SubjectEvents> FindSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction();
            var found = Subject(transaction, hash, erase: false);
            transaction.Rollback();
            return found;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public async Task<SubjectEvents> EraseSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction();
            var erased = Subject(transaction, hash, erase: true);
            transaction.Commit();
            // The WAL held the rows as they arrived; a checkpoint moves the deletion into the file and empties it.
            Execute("CHECKPOINT");
            return erased;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// The subject's predictions into a temporary table, then each kind counted or deleted; an erasure marks the hours
    /// of the predictions as changed, so the windows that counted them are computed again.
    /// </summary>
    private SubjectEvents Subject(DbTransaction transaction, string hash, bool erase)
    {
        Run(
            transaction,
            $"CREATE OR REPLACE TEMP TABLE subject_predictions AS {SubjectPredictions}",
            ("needle", $"\"{hash}\"")
        );
        var predictions = new List<SubjectPrediction>();
        using (var read = Command("SELECT feature, id, time_us FROM subject_predictions ORDER BY feature, time_us, id"))
        {
            read.Transaction = transaction;
            using var rows = read.ExecuteReader();
            while (rows.Read())
            {
                predictions.Add(
                    new SubjectPrediction(
                        rows.GetString(0),
                        rows.GetString(1),
                        UnixMicroseconds.ToTime(rows.GetInt64(2))
                    )
                );
            }
        }
        var counts = new long[SubjectFollowers.Length];
        for (var i = 0; i < SubjectFollowers.Length; i++)
        {
            counts[i] = CountOrDelete(transaction, SubjectFollowers[i].Table, SubjectFollowers[i].Column, erase);
        }
        if (erase && predictions.Count > 0)
        {
            using var next = Command("SELECT nextval('change_seq')");
            next.Transaction = transaction;
            var change = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
            Run(
                transaction,
                "INSERT OR REPLACE INTO changed_hours SELECT DISTINCT feature, time_us // 3600000000, $change FROM subject_predictions",
                ("change", change)
            );
            CountOrDelete(transaction, "predictions", "id", erase: true);
        }
        Run(transaction, "DROP TABLE subject_predictions");
        return new SubjectEvents(predictions, counts[0], counts[1], counts[2]);
    }

    private long CountOrDelete(DbTransaction transaction, string table, string column, bool erase)
    {
        var where =
            $"WHERE EXISTS (SELECT 1 FROM subject_predictions s WHERE s.feature = t.feature AND s.id = t.{column})";
        using var command = Command(
            erase ? $"DELETE FROM {table} t {where}" : $"SELECT count(*) FROM {table} t {where}"
        );
        command.Transaction = transaction;
        return erase
            ? command.ExecuteNonQuery()
            : Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Run(DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

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

    private async Task<SubjectState> StateAsync(
        IReadOnlyList<SubjectPrediction> predictions,
        bool erase,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(predictions);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction();
            Run(
                transaction,
                "CREATE OR REPLACE TEMP TABLE subject_predictions (feature VARCHAR, id VARCHAR, time_us BIGINT)"
            );
            foreach (var p in predictions)
            {
                Run(
                    transaction,
                    "INSERT INTO subject_predictions VALUES ($feature, $id, $time)",
                    ("feature", p.Feature),
                    ("id", p.Id),
                    ("time", UnixMicroseconds.From(p.Time))
                );
            }
            var counts = SubjectStateTables.Select(s => CountOrDelete(transaction, s.Table, s.Column, erase)).ToList();
            const string Reports =
                "FROM window_reports r WHERE EXISTS (SELECT 1 FROM subject_predictions s WHERE s.feature = r.feature "
                + "AND s.time_us >= r.window_start_us AND s.time_us < r.window_start_us + r.window_us)";
            using var reports = Command(erase ? $"DELETE {Reports}" : $"SELECT count(*) {Reports}");
            reports.Transaction = transaction;
            var windows = erase
                ? reports.ExecuteNonQuery()
                : Convert.ToInt64(reports.ExecuteScalar(), CultureInfo.InvariantCulture);
            Run(transaction, "DROP TABLE subject_predictions");
            if (erase)
            {
                transaction.Commit();
            }
            else
            {
                transaction.Rollback();
            }
            return new SubjectState(counts[0], counts[1], counts[2], windows);
        }
        finally
        {
            _write.Release();
        }
    }
}
