using System.Text.Json;
using System.Text.Json.Nodes;
using Overlap.Core.Contracts;
using Overlap.Events;

namespace Overlap.Core.Privacy;

/// <summary>
/// Applies a contract's <see cref="PrivacyPolicy"/> to an event at the door, before anything is written: each input and
/// attribute of a prediction, and its output text (and the workflow's reason, under the output's policy), is kept, dropped, hashed with the <see cref="PrivacyKey"/> or
/// redacted (<see cref="PersonalData"/>). Outcomes, feedback and business results carry labels, kinds and amounts, no
/// field a policy names, and pass unchanged.
/// </summary>
public static class EventPrivacy
{
    /// <summary>The event as the store may keep it.</summary>
    public static FeatureEvent Apply(FeatureEvent e, PrivacyPolicy? policy, PrivacyKey key)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(key);
        if (policy is null || policy.KeepsAll || e is not PredictionEvent p)
        {
            return e;
        }
        return p with
        {
            InputsJson = Fields(p.InputsJson, policy, key),
            AttributesJson = Fields(p.AttributesJson, policy, key),
            Output = p.Output is null ? null : Value(p.Output, policy.For(PrivacyPolicy.OutputField), key),
            // The workflow's reason is free text that may quote the output (a failed check's message): it takes the
            // output's policy, so a redacted output is not read back through the reason.
            Workflow = p.Workflow is { Reason: { } reason } workflow
                ? workflow with
                {
                    Reason = Value(reason, policy.For(PrivacyPolicy.OutputField), key),
                }
                : p.Workflow,
        };
    }

    /// <summary>The hash a subject's id has in the store: what erasure and a subject's lookup match.</summary>
    public static string SubjectHash(string id, PrivacyKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Hash(id);
    }

    private static string? Fields(string? json, PrivacyPolicy policy, PrivacyKey key)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject fields)
        {
            return json;
        }
        var changed = false;
        foreach (var (name, node) in fields.ToList())
        {
            var rule = policy.For(name);
            if (rule == FieldPolicy.Keep || node is null)
            {
                continue;
            }
            changed = true;
            if (rule == FieldPolicy.Drop)
            {
                fields.Remove(name);
                continue;
            }
            fields[name] = node switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => Value(v.GetValue<string>(), rule, key),
                JsonValue v when rule == FieldPolicy.Redact && v.GetValueKind() != JsonValueKind.Number =>
                    v.DeepClone(),
                // A number, object or list is hashed or redacted as its JSON text: a card number sent as a number is
                // still a card number.
                _ => RedactedOrHashed(node.ToJsonString(), rule, key),
            };
        }
        return changed ? fields.ToJsonString() : json;
    }

    private static JsonNode? RedactedOrHashed(string text, FieldPolicy rule, PrivacyKey key)
    {
        var value = Value(text, rule, key);
        return rule == FieldPolicy.Redact && value == text ? JsonNode.Parse(text) : JsonValue.Create(value);
    }

    private static string? Value(string text, FieldPolicy rule, PrivacyKey key) =>
        rule switch
        {
            FieldPolicy.Keep => text,
            FieldPolicy.Drop => null,
            FieldPolicy.Hash => key.Hash(text),
            _ => PersonalData.Redact(text),
        };
}
