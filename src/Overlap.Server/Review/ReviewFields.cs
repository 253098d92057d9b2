using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Statements;

namespace Overlap.Server.Review;

/// <summary>
/// A review item as a reviewer reads it: its stored inputs and attributes (JSON objects) as name and value pairs, and the
/// model's answer in the contract's words (the label's name, the score as a share and what it means).
/// </summary>
internal static class ReviewFields
{
    /// <summary>Longer values than this are folded on the page, their start shown.</summary>
    public const int FoldAt = 200;

    /// <summary>
    /// Each field of a JSON object in its order, text as it is and anything else as compact JSON; a value that is not an
    /// object is one field named "value"; nothing for null or empty.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Pairs(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? [.. doc.RootElement.EnumerateObject().Select(p => (p.Name, Text(p.Value)))]
                : [("value", Text(doc.RootElement))];
        }
        catch (JsonException)
        {
            // Stored text that is not JSON is shown as it is rather than hidden.
            return [("value", json)];
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null => "(none)",
            _ => value.GetRawText(),
        };

    /// <summary>The start of a long value, for the folded line.</summary>
    public static string Start(string value) =>
        value.Length <= FoldAt ? value : string.Concat(value.AsSpan(0, FoldAt), "…");

    /// <summary>
    /// What the model answered, in the contract's words: "fraud: fraudulent payment, held for review" for a binary
    /// contract, the label as it is otherwise; null when the item carries no answer.
    /// </summary>
    public static string? Answer(Contract contract, string? label)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (label is null)
        {
            return null;
        }
        var words = contract.Words;
        return contract.Task != TaskKind.Binary ? label
            : label == contract.Labels.Positive ? $"{label}: {words.Positive}, {words.Action}"
            : label == contract.Labels.Negative ? $"{label}: {words.Negative}, not {words.Action}"
            : label;
    }

    /// <summary>
    /// A binary score as a share with what it means: "87% chance of fraudulent payment, by the model's estimate
    /// (payments from 15% are held for review)". Null for another task or without a score.
    /// </summary>
    public static string? Score(Contract contract, double? score)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Task != TaskKind.Binary || score is not { } s || !double.IsFinite(s))
        {
            return null;
        }
        var words = contract.Words;
        return $"{Percent(s)} chance of {words.Positive}, by the model's estimate ({Phrasing.Plural(words.Example)} from {Percent(contract.Threshold)} are {words.Action})";
    }

    /// <summary>A share as Phrasing says it, never rounded to a certainty the score does not claim (0.998 is "nearly 100%").</summary>
    private static string Percent(double share)
    {
        var text = Phrasing.Percent(share);
        return (text == "100%" && share < 1) || (text == "0%" && share > 0) ? "nearly " + text : text;
    }
}
