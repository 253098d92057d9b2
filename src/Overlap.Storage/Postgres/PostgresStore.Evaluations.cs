using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string RunColumns =
        "SELECT id, feature, contract_version, name, uploaded_by, uploaded_at, source, n, verdict";

    /// <inheritdoc />
    public async Task<EvaluationRun> AddEvaluationRunAsync(
        NewEvaluationRun run,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(run);
        var id = await ScalarAsync(
                "INSERT INTO evaluation_runs (feature, contract_version, name, uploaded_by, uploaded_at, source, n, "
                    + "verdict, report) VALUES (@feature, @version, @name, @by, @at, @source, @n, @verdict, @report) "
                    + "RETURNING id",
                cancellationToken,
                ("feature", run.Feature),
                ("version", run.ContractVersion),
                ("name", run.Name),
                ("by", run.UploadedBy),
                ("at", run.UploadedAt),
                ("source", run.Source),
                ("n", run.N),
                ("verdict", run.Verdict),
                ("report", Json(run.Report))
            )
            .ConfigureAwait(false);
        // The time as stored (to the microsecond), so the run answered now equals the run listed later.
        return new EvaluationRun(
            (long)id!,
            run.Feature,
            run.ContractVersion,
            run.Name,
            run.UploadedBy,
            UnixMicroseconds.Stored(run.UploadedAt),
            run.Source,
            run.N,
            run.Verdict
        );
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluationRun>> ListEvaluationRunsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            $"{RunColumns} FROM evaluation_runs WHERE feature = @feature ORDER BY id DESC",
            ReadRun,
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public async Task<(EvaluationRun Run, string Report)?> GetEvaluationRunAsync(
        string feature,
        long id,
        CancellationToken cancellationToken = default
    )
    {
        var rows = await QueryAsync(
                $"{RunColumns}, report FROM evaluation_runs WHERE feature = @feature AND id = @id",
                r => (ReadRun(r), r.GetString(9)),
                cancellationToken,
                ("feature", feature),
                ("id", id)
            )
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static EvaluationRun ReadRun(DbDataReader r) =>
        new(
            r.GetInt64(0),
            r.GetString(1),
            r.IsDBNull(2) ? null : r.GetInt32(2),
            r.GetString(3),
            r.GetString(4),
            Time(r, 5),
            r.GetString(6),
            r.GetInt64(7),
            r.GetString(8)
        );

    /// <summary>A JSON document as a <c>json</c> parameter (its text kept as written).</summary>
    private static NpgsqlParameter<string> Json(string text) =>
        new() { NpgsqlDbType = NpgsqlDbType.Json, TypedValue = text };
}
