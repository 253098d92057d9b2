using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Events;

namespace Overlap.Core.Events;

/// <summary>
/// Checks an event's values against its feature's contract, as the server does when the event arrives: a binary score is
/// a probability in [0, 1]; a label or prediction is one the contract names (a binary one sent as 1/0 or true/false
/// becomes the positive or negative label, as docs/contract.md promises); a regression label or prediction is a finite
/// number. What is stored is then always something every reader of the contract understands.
/// </summary>
public static class EventContractCheck
{
    /// <summary>The event with its labels as the contract names them.</summary>
    /// <exception cref="EventFormatException">A value the contract does not allow; the message says which and what to send.</exception>
    public static FeatureEvent Check(FeatureEvent e, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Task == TaskKind.Generative)
        {
            // A generative output is free text, and so is what a person says of it: no label list applies.
            return e;
        }
        switch (e)
        {
            case PredictionEvent p:
                if (contract.Task == TaskKind.Binary && p.Score is { } score && score is < 0 or > 1)
                {
                    throw new EventFormatException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"'score' is {score}; the contract of '{contract.Feature}' is binary, so a score is the probability of '{contract.Labels.Positive}', between 0 and 1"
                        )
                    );
                }
                return p.Prediction is { } prediction
                    ? p with
                    {
                        Prediction = Label(contract, prediction, "prediction"),
                    }
                    : p;
            case OutcomeEvent o:
                return o with { Label = Label(contract, o.Label, "label") };
            default:
                return e;
        }
    }

    /// <summary>
    /// The label as the contract names it: a binary 1/0 or true/false becomes the positive or negative label; null when
    /// the contract does not name it (a regression value must be a finite number).
    /// </summary>
    public static string? Normalize(Contract contract, string text)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(text);
        var labels = contract.Labels;
        switch (contract.Task)
        {
            case TaskKind.Binary:
                if (text == labels.Positive || text == labels.Negative)
                {
                    return text;
                }
                if (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return labels.Positive ?? "1";
                }
                if (text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return labels.Negative ?? "0";
                }
                return labels.Positive is null || labels.Negative is null ? text : null;
            case TaskKind.Multiclass:
                return labels.Classes.Count == 0 || labels.Classes.Contains(text, StringComparer.Ordinal) ? text : null;
            default:
                return
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && double.IsFinite(number)
                    ? text
                    : null;
        }
    }

    /// <summary>The labels a contract names, as a list for messages ("fraud, legit"); null for regression.</summary>
    public static string? Allowed(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Task switch
        {
            TaskKind.Binary => $"{contract.Labels.Positive}, {contract.Labels.Negative}",
            TaskKind.Multiclass => string.Join(", ", contract.Labels.Classes),
            _ => null,
        };
    }

    private static string Label(Contract contract, string text, string field) =>
        Normalize(contract, text)
        ?? throw new EventFormatException(
            Allowed(contract) is { } allowed
                ? $"'{field}' is '{Shorten(text)}', which the contract of '{contract.Feature}' does not name; send one of: {allowed}{(contract.Task == TaskKind.Binary ? " (or 1/0, true/false)" : "")}"
                : $"'{field}' is '{Shorten(text)}'; the contract of '{contract.Feature}' is a regression, so send a finite number"
        );

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
