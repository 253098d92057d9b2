using System.Globalization;
using System.Text;

namespace Overlap.Faults.Tests;

/// <summary>One event line in a fuzzed batch: what the server must do with it.</summary>
/// <param name="Feature">The feature it is for (null when the line is not an event the server can place).</param>
/// <param name="Id">Its id, as the server would store it.</param>
/// <param name="Refused">Why the server must refuse it, or null when it must keep it.</param>
internal sealed record FuzzLine(string? Feature, string? Id, string? Refused);

/// <summary>A request body with what each of its events must come to.</summary>
/// <param name="Body">The bytes sent.</param>
/// <param name="Lines">Each event, by index; empty when the body as a whole must be refused.</param>
/// <param name="Array">Sent as a JSON array rather than NDJSON.</param>
/// <param name="WholeBody">Why the whole body must be refused with a 4xx, or null.</param>
internal sealed record FuzzBatch(byte[] Body, IReadOnlyList<FuzzLine> Lines, bool Array, string? WholeBody);

/// <summary>
/// Seeded malformed input of every kind the trust issue lists, mixed with good events: NULs and lone surrogates in ids,
/// attribute keys and values (escaped, and as raw CESU-8 or invalid UTF-8 bytes), scores outside a probability's
/// range or not numbers at all, labels and predictions the contract does not name, unknown features, ids reused
/// across features and redelivered, deep nesting, bodies that are not batches at all. The same seed gives the same
/// input, so a failure repeats.
/// </summary>
internal sealed class FaultCorpus(int seed)
{
    /// <summary>The two features the corpus writes for; both contracts name the labels spam and ham.</summary>
    public static readonly string[] Features = ["alpha", "beta"];

    private readonly Random _random = new(seed);
    private int _next;

    /// <summary>A binary contract for <paramref name="feature"/> with labels spam/ham and a probability score.</summary>
    public static string Contract(string feature) =>
        $$"""
            feature: {{feature}}
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { id: id, time: time, label: label, score: score, prediction: decision, segments: [channel] }
            threshold: 0.5
            requirements:
              - { metric: recall, min: 0.8 }
            monitoring: { window: 1d, min_samples: 20 }
            experiments:
              - name: {{feature}}-trial
                control: v1
                treatment: v2
                primary: [{ metric: recall, min_effect: 0.05 }]
                guardrails: [{ metric: latency_p95_ms, margin: 100 }]
            """;

    /// <summary>A batch of up to <paramref name="size"/> events, a fifth of them bad, or now and then a body that is not a batch.</summary>
    public FuzzBatch Next(int size)
    {
        if (_random.NextDouble() < 0.08)
        {
            return WholeBodyBad();
        }
        var array = _random.NextDouble() < 0.3;
        var lines = new List<(byte[] Bytes, FuzzLine Line)>();
        for (var i = 0; i < size; i++)
        {
            lines.Add(_random.NextDouble() < 0.2 ? Bad(array, first: i == 0) : Good());
        }
        var body = new MemoryStream();
        if (array)
        {
            body.WriteByte((byte)'[');
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                body.WriteByte(array ? (byte)',' : (byte)'\n');
            }
            body.Write(lines[i].Bytes);
        }
        if (array)
        {
            body.WriteByte((byte)']');
        }
        return new FuzzBatch(body.ToArray(), [.. lines.Select(l => l.Line)], array, null);
    }

    /// <summary>A good prediction: an id from a small pool per feature (so ids repeat across batches and features).</summary>
    private (byte[], FuzzLine) Good()
    {
        var feature = Features[_random.Next(Features.Length)];
        // Ids are shared between the features on purpose: the same id for two features is two events.
        var id = $"p{_random.Next(4000)}";
        var score = Math.Round(_random.NextDouble(), 4).ToString(CultureInfo.InvariantCulture);
        // The arm of the contract's experiment, from the id (the random draws stay as they were).
        var version = int.Parse(id.AsSpan(1), CultureInfo.InvariantCulture) % 2 == 0 ? "v1" : "v2";
        string[] decisions =
        [
            "",
            ",\"prediction\":\"spam\"",
            ",\"prediction\":\"ham\"",
            ",\"prediction\":1",
            ",\"prediction\":0",
            ",\"prediction\":true",
            ",\"prediction\":\"0\"",
        ];
        string[] channels =
        [
            "web",
            "mobile",
            "\u00e9t\u00e9",
            "\u4e2d\u6587",
            "\ud83d\udce7 mail",
            "<a href=\\\"https://evil.example\\\">click</a>",
            "=HYPERLINK(\\\"x\\\")",
            "",
        ];
        var json =
            $$$"""{"type":"prediction","id":"{{{id}}}","feature":"{{{feature}}}","time":"{{{Time()}}}","score":{{{score}}}{{{decisions[_random.Next(decisions.Length)]}}},"latency_ms":{{{_random.Next(1, 900)}}},"model_version":"{{{version}}}","attributes":{"channel":"{{{channels[_random.Next(channels.Length)]}}}"}}""";
        return (Encoding.UTF8.GetBytes(json), new FuzzLine(feature, id, null));
    }

    /// <summary>
    /// A bad event; raw invalid bytes only in NDJSON, where they spoil one line rather than the array, and a line
    /// that is an array never first (a body starting with '[' is read as one JSON array).
    /// </summary>
    private (byte[], FuzzLine) Bad(bool array, bool first)
    {
        var feature = Features[_random.Next(Features.Length)];
        var id = $"bad{Interlocked.Increment(ref _next)}";
        var prefix = $"{{\"type\":\"prediction\",\"feature\":\"{feature}\",\"time\":\"{Time()}\"";
        (string Json, string Why)[] kinds =
        [
            ($$"""{{prefix}},"id":"{{id}}\u0000tail","score":0.5}""", "NUL in the id"),
            ($$"""{{prefix}},"id":"{{id}}\ud800","score":0.5}""", "lone high surrogate in the id"),
            (
                $$$"""{{{prefix}}},"id":"{{{id}}}","score":0.5,"attributes":{"channel":"x\ud800"}}""",
                "lone surrogate in an attribute value"
            ),
            (
                $$$"""{{{prefix}}},"id":"{{{id}}}","score":0.5,"attributes":{"ch\udc00":"web"}}""",
                "lone low surrogate in an attribute key"
            ),
            (
                $$$"""{{{prefix}}},"id":"{{{id}}}","score":0.5,"attributes":{"channel":"\udc00\ud800"}}""",
                "surrogates in the wrong order"
            ),
            ($$$"""{{{prefix}}},"id":"{{{id}}}","score":0.5,"inputs":{"subject":"a\u0000b"}}""", "NUL in an input"),
            ($$"""{{prefix}},"id":"{{id}}","score":7}""", "a score of 7 on a probability contract"),
            ($$"""{{prefix}},"id":"{{id}}","score":-0.25}""", "a negative probability"),
            ($$"""{{prefix}},"id":"{{id}}","score":1e400}""", "a score that overflows to infinity"),
            ($$"""{{prefix}},"id":"{{id}}","score":"high"}""", "a score that is text"),
            (
                $$"""{{prefix}},"id":"{{id}}","score":0.5,"prediction":"maybe"}""",
                "a prediction the contract does not name"
            ),
            (
                $$"""{{prefix}},"id":"{{id}}","score":0.5,"prediction":2}""",
                "a binary prediction that is neither 1 nor 0"
            ),
            (
                $$"""{"type":"outcome","id":"{{id}}","feature":"{{feature}}","prediction_id":"p1","label":"banana","time":"{{Time()}}"}""",
                "an outcome labelled banana"
            ),
            (
                $$"""{"type":"prediction","feature":"nope","time":"{{Time()}}","id":"{{id}}","score":0.5}""",
                "an unknown feature"
            ),
            ($$"""{{prefix}},"score":0.5}""", "no id"),
            ($$"""{{prefix}},"id":"","score":0.5}""", "an empty id"),
            ($$"""{{prefix}},"id":"{{new string('x', 300)}}","score":0.5}""", "an id over 200 characters"),
            (
                $$"""{"type":"prediction","feature":"{{feature}}","id":"{{id}}","time":"yesterday","score":0.5}""",
                "a time that is not a date"
            ),
            ($$"""{"type":"telemetry","id":"{{id}}","time":"{{Time()}}"}""", "an unknown type"),
            ("[1,2,3]", "an array where an event should be"),
        ];
        if (!array && _random.NextDouble() < 0.3)
        {
            // Raw bytes no UTF-8 decoder accepts: a lone 0xFF, an overlong NUL, a surrogate encoded as CESU-8.
            byte[][] raw =
            [
                [0xFF],
                [0xC0, 0x80],
                [0xED, 0xA0, 0x80],
                [0xE2, 0x82],
            ];
            var bytes = raw[_random.Next(raw.Length)];
            var head = Encoding.UTF8.GetBytes($$"""{{prefix}},"id":"{{id}}","score":0.5,"attributes":{"channel":"x""");
            return ([.. head, .. bytes, .. "\"}}"u8.ToArray()], new FuzzLine(feature, id, "invalid UTF-8 bytes"));
        }
        if (!array && _random.NextDouble() < 0.05)
        {
            // Deeper than any parser's limit: in NDJSON that line alone is refused (in an array it spoils the array).
            return (
                Encoding.UTF8.GetBytes(
                    $$$"""{{{prefix}}},"id":"{{{id}}}","score":0.5,"attributes":{{{new string('[', 5000)}}}{{{new string(']', 5000)}}}}"""
                ),
                new FuzzLine(feature, id, "attributes nested 5,000 deep")
            );
        }
        if (!array && _random.NextDouble() < 0.1)
        {
            return (
                Encoding.UTF8.GetBytes($$"""{"type":"prediction","id":"{{id}}","feature":"""),
                new FuzzLine(feature, id, "a line cut short")
            );
        }
        var (json, why) = kinds[_random.Next(kinds.Length - (first && !array ? 1 : 0))];
        return (Encoding.UTF8.GetBytes(json), new FuzzLine(feature, id, why));
    }

    /// <summary>A body that is no batch at all: nothing from it may be kept, and the answer is a 4xx.</summary>
    private FuzzBatch WholeBodyBad()
    {
        (byte[] Body, string Why)[] bodies =
        [
            ([], "an empty body"),
            ("   \n\t "u8.ToArray(), "only whitespace"),
            ("null"u8.ToArray(), "null"),
            ("42"u8.ToArray(), "a number"),
            ("\"events\""u8.ToArray(), "a string"),
            ("["u8.ToArray(), "an array never closed"),
            (Encoding.UTF8.GetBytes(new string('[', 100_000)), "arrays nested 100,000 deep"),
            (
                [
                    (byte)'[',
                    .. Encoding.UTF8.GetBytes(
                        $$"""{"type":"prediction","id":"raw","feature":"alpha","time":"{{Time()}}","score":0.5,"attributes":{"c":"x"""
                    ),
                    0xFF,
                    .. "\"}}]"u8.ToArray(),
                ],
                "a JSON array holding invalid UTF-8"
            ),
            ([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02], "gzip magic with nothing behind it"),
            (
                Encoding.UTF8.GetBytes(
                    $$$"""[{"type":"prediction","id":"deep","feature":"alpha","time":"{{{Time()}}}","score":0.5,"attributes":{{{new string('[', 5000)}}}{{{new string(']', 5000)}}}}]"""
                ),
                "a JSON array whose one event is nested 5,000 deep"
            ),
        ];
        var (body, why) = bodies[_random.Next(bodies.Length)];
        return new FuzzBatch(body, [], body.Length > 0 && body[0] == (byte)'[', why);
    }

    private string Time() =>
        new DateTimeOffset(
            2026,
            11,
            2 + _random.Next(20),
            _random.Next(24),
            _random.Next(60),
            0,
            TimeSpan.Zero
        ).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
