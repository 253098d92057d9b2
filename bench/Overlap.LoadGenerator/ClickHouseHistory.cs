using System.Globalization;

/// <summary>
/// History written straight into the ClickHouse cluster (sending hundreds of millions of events would take hours):
/// the labelled predictions and outcomes the generator would send (<c>h{n}</c> / <c>o{n}</c>, scores cubed uniforms,
/// a label drawn from the score, the channel and region by n), made by <c>INSERT … SELECT … FROM numbers(…)</c> into
/// each shard's <c>_local</c> table (half the numbers each, so the shards work in parallel), in the columns
/// ClickHouseStore writes, each received a second after its time (as if sent live, so the review queue, which had
/// routed everything received before the history was written, does not page through it); then every hour of the range
/// is marked changed, as an append does, so reads compute the windows from these rows.
/// </summary>
internal static class ClickHouseHistory
{
    private const string Feature = "payments-fraud";
    private const long DayUs = 86_400_000_000;

    /// <summary>
    /// Writes <paramref name="perDay"/> labelled predictions a day for <paramref name="days"/> days from
    /// <paramref name="start"/> into database <c>overlap</c> on <paramref name="shards"/>; returns the seconds it took.
    /// </summary>
    public static async Task<double> WriteAsync(string[] shards, long perDay, int days, DateTimeOffset start)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromHours(3) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var startUs = start.ToUnixTimeMilliseconds() * 1000;
        var total = perDay * days;
        // Chunks of at most 10 million numbers per statement bound each insert's memory (2 GB a query here).
        const long Chunk = 10_000_000;
        await Task.WhenAll(
                shards.Select(
                    (shard, k) =>
                        Task.Run(async () =>
                        {
                            var mine = (total - k + shards.Length - 1) / shards.Length;
                            for (var from = 0L; from < mine; from += Chunk)
                            {
                                var numbers = Numbers(from, Math.Min(Chunk, mine - from), shards.Length, k);
                                await ExecuteAsync(http, shard, Predictions(numbers, startUs, perDay))
                                    .ConfigureAwait(false);
                                await ExecuteAsync(http, shard, Outcomes(numbers, startUs, perDay))
                                    .ConfigureAwait(false);
                                await ExecuteAsync(http, shard, OutcomeHours(numbers, startUs, perDay))
                                    .ConfigureAwait(false);
                            }
                        })
                )
            )
            .ConfigureAwait(false);
        var hours = days * 24L;
        var firstHour = startUs / 3_600_000_000;
        // The change is marked once every row is in, with a number taken then: a window the server computed while the
        // rows were being written (its alert scheduler judges yesterday on its own) is older and is computed again.
        var nowUs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        await ExecuteAsync(
                http,
                shards[0],
                "INSERT INTO overlap.changed_hours_local (feature, hour, change) "
                    + $"SELECT '{Feature}', toInt64({firstHour} + number), toInt64({nowUs}) FROM numbers({hours})"
            )
            .ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The rows n = (from + i) × stride + k for i below count, with the random draws each row needs.</summary>
    private static string Numbers(long from, long count, int stride, int k) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            (SELECT n,
              pow(cityHash64(n, 1) / 18446744073709551616, 3) AS s,
              cityHash64(n, 2) / 18446744073709551616 AS u,
              cityHash64(n, 3) / 18446744073709551616 AS l,
              cityHash64(n, 4) / 18446744073709551616 AS a
            FROM (SELECT (number + {from}) * {stride} + {k} AS n FROM numbers({count})))
            """
        );

    private static string Predictions(string numbers, long startUs, long perDay) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            INSERT INTO overlap.predictions_local (feature, id, time_us, model_version, score, prediction, latency_ms,
              cost, inputs, attributes, received_us, output, input_tokens, output_tokens, conversation_id, model, error)
            SELECT '{Feature}', concat('h', toString(n)),
              toInt64({startUs} + intDiv(n, {perDay}) * {DayUs} + intDiv((n % {perDay}) * {DayUs}, {perDay})),
              NULL, round(s, 6), NULL, round(20 + l * 100, 1), NULL,
              concat('{"{"}"amount":', toString(round(a * 500, 2)), '{"}"}'),
              concat('{"{"}"channel":"', arrayElement(['web', 'app', 'pos'], n % 3 + 1), '","region":"',
                arrayElement(['eu', 'us', 'apac', 'latam'], n % 4 + 1), '"{"}"}'),
              toInt64({startUs} + intDiv(n, {perDay}) * {DayUs} + intDiv((n % {perDay}) * {DayUs}, {perDay}) + 1000000),
              NULL, NULL, NULL, NULL, NULL, NULL
            FROM {numbers}
            """
        );

    private static string Outcomes(string numbers, long startUs, long perDay) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            INSERT INTO overlap.outcomes_local (feature, id, prediction_id, label, source, time_us, received_us)
            SELECT '{Feature}', concat('o', toString(n)), concat('h', toString(n)), if(u < s, 'fraud', 'legit'), NULL,
              toInt64({startUs} + (intDiv(n, {perDay}) + 1) * {DayUs}), toInt64({startUs} + (intDiv(n, {perDay}) + 1) * {DayUs} + 1000000)
            FROM {numbers}
            """
        );

    /// <summary>The same outcomes under their predictions' hours, as the store writes them (<c>outcome_hours</c>).</summary>
    private static string OutcomeHours(string numbers, long startUs, long perDay) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"""
            INSERT INTO overlap.outcome_hours_local (feature, prediction_hour, prediction_id, id, label, time_us)
            SELECT '{Feature}',
              intDiv(toInt64({startUs} + intDiv(n, {perDay}) * {DayUs} + intDiv((n % {perDay}) * {DayUs}, {perDay})), 3600000000),
              concat('h', toString(n)), concat('o', toString(n)), if(u < s, 'fraud', 'legit'),
              toInt64({startUs} + (intDiv(n, {perDay}) + 1) * {DayUs})
            FROM {numbers}
            """
        );

    private static async Task ExecuteAsync(HttpClient http, string shard, string sql)
    {
        using var content = new StringContent(sql);
        using var response = await http.PostAsync(new Uri(shard + "/"), content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"ClickHouse {shard} answered {(int)response.StatusCode}: {error}");
        }
    }
}
