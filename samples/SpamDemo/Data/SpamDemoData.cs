using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Overlap.Demo.Corpus;

namespace Overlap.Demo.Data;

/// <summary>
/// The demo's data: the corpus cut in time (<see cref="Split"/>) and scored messages written as the CSV that
/// <c>examples/spam-filter/overlap.yaml</c> reads (<see cref="WriteScoredCsv(TextWriter, IReadOnlyList{SpamMessage}, IReadOnlyList{double})"/>).
/// </summary>
public static class SpamDemoData
{
    /// <summary>The CSV's columns, in order; the contract names them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "message_id",
        "received_at",
        "sender_domain_type",
        "subject_length",
        "body_length",
        "links",
        "attachments",
        "p_spam",
        "is_spam",
    ];

    /// <summary>
    /// Cuts date-ordered messages: the first <paramref name="earlyShare"/> of them are the early period, of which a
    /// share <paramref name="holdoutShare"/> picked by a hash of the id (so it does not depend on order or on the
    /// run) is held out and the rest trains; the later messages are production. Undated messages are left out.
    /// </summary>
    public static SpamSplit Split(
        IReadOnlyList<SpamMessage> messages,
        double earlyShare = 0.4,
        double holdoutShare = 0.2
    )
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(earlyShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(earlyShare, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(holdoutShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(holdoutShare, 1.0);
        var dated = messages
            .Where(m => m.Date is not null)
            .OrderBy(m => m.Date)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        var early = (int)Math.Round(dated.Count * earlyShare);
        var train = new List<SpamMessage>();
        var holdout = new List<SpamMessage>();
        foreach (var message in dated.Take(early))
        {
            (Unit(message.Id) < holdoutShare ? holdout : train).Add(message);
        }
        return new SpamSplit(train, holdout, dated.Skip(early).ToList());
    }

    /// <summary>A number in [0, 1) from the text alone (XxHash64): the same on every run and in any order.</summary>
    public static double Unit(string id) =>
        (XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Writes the scored messages as CSV with <see cref="Columns"/>: one row per message, its score beside it.</summary>
    public static void WriteScoredCsv(
        TextWriter writer,
        IReadOnlyList<SpamMessage> messages,
        IReadOnlyList<double> scores
    )
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(scores);
        if (messages.Count != scores.Count)
        {
            throw new ArgumentException($"{messages.Count} messages but {scores.Count} scores", nameof(scores));
        }
        var inv = CultureInfo.InvariantCulture;
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var date = m.Date?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv) ?? "";
            writer.Write(
                string.Create(
                    inv,
                    $"{m.Id},{date},{m.SenderDomainType},{m.Subject.Length},{m.Body.Length},{m.Links},{m.Attachments},{scores[i]:R},{m.Label}\n"
                )
            );
        }
    }

    /// <summary>Writes the scored messages to a CSV file (see <see cref="WriteScoredCsv(TextWriter, IReadOnlyList{SpamMessage}, IReadOnlyList{double})"/>).</summary>
    public static void WriteScoredCsv(string path, IReadOnlyList<SpamMessage> messages, IReadOnlyList<double> scores)
    {
        using var writer = new StreamWriter(
            path,
            append: false,
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)
        );
        WriteScoredCsv(writer, messages, scores);
    }
}
