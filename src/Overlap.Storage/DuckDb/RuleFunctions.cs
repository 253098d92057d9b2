using DuckDB.NET.Data;
using Overlap.Core.Sampling;

namespace Overlap.Storage.DuckDb;

/// <summary>
/// Core's sampling and id rules as DuckDB scalar functions, so the store's SQL picks the rows and names the ids that the
/// rules in <see cref="StableSample"/> and <see cref="DerivedIds"/> do: the rules are written once, in Core.
/// </summary>
internal static class RuleFunctions
{
    /// <summary><c>overlap_sample_key(id VARCHAR) → UBIGINT</c>: <see cref="StableSample.Key"/>.</summary>
    public const string SampleKey = "overlap_sample_key";

    /// <summary><c>overlap_takes(id VARCHAR, share DOUBLE) → BOOLEAN</c>: <see cref="StableSample.Takes"/>.</summary>
    public const string Takes = "overlap_takes";

    /// <summary><c>overlap_second_opinion(id VARCHAR, share DOUBLE) → BOOLEAN</c>: <see cref="StableSample.NeedsSecondOpinion"/>.</summary>
    public const string SecondOpinion = "overlap_second_opinion";

    /// <summary><c>overlap_review_outcome_id(prediction_id VARCHAR, decided_us BIGINT) → VARCHAR</c>: <see cref="DerivedIds.ReviewOutcome(string, long)"/>.</summary>
    public const string ReviewOutcomeId = "overlap_review_outcome_id";

    /// <summary>Registers the functions with the database behind <paramref name="connection"/> (every connection to it sees them).</summary>
    public static void Register(DuckDBConnection connection)
    {
        connection.RegisterScalarFunction<string, ulong>(SampleKey, (string id) => StableSample.Key(id));
        connection.RegisterScalarFunction<string, double, bool>(Takes, (string id, double share) =>
            StableSample.Takes(id, share)
        );
        connection.RegisterScalarFunction<string, double, bool>(SecondOpinion, (string id, double share) =>
            StableSample.NeedsSecondOpinion(id, share)
        );
        connection.RegisterScalarFunction<string, long, string>(ReviewOutcomeId, (string id, long decidedUs) =>
            DerivedIds.ReviewOutcome(id, decidedUs)
        );
    }
}
