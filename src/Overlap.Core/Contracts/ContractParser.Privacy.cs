using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

public static partial class ContractParser
{
    /// <summary>The <c>privacy:</c> section; null when the contract has none (every field kept, kept for good).</summary>
    private static PrivacyPolicy? ReadPrivacy(YamlMap map)
    {
        var m = map.Map("privacy", ContractKeys.Privacy);
        if (m is null)
        {
            return null;
        }
        var defaultNode = m.Take("default");
        var fallback = defaultNode is null ? FieldPolicy.Keep : ReadFieldPolicy(m, defaultNode, "default");
        var fields = new Dictionary<string, FieldPolicy>(StringComparer.Ordinal);
        if (m.Map("fields") is { } fm)
        {
            foreach (var (name, value) in fm.Entries())
            {
                fields[name] = ReadFieldPolicy(fm, value, name);
            }
        }
        var subjectNode = m.Take("subject");
        var subject = subjectNode is null ? null : m.Scalar(subjectNode, "subject");
        if (subject is not null)
        {
            if (string.Equals(subject, PrivacyPolicy.OutputField, StringComparison.Ordinal) || subject.Length == 0)
            {
                throw m.Error(
                    subjectNode!,
                    "'subject' names the input or attribute that identifies the person, such as subject: user_id"
                );
            }
            if (fields.TryGetValue(subject, out var own) && own != FieldPolicy.Hash)
            {
                throw m.Error(
                    subjectNode!,
                    $"'{subject}' is the subject, which is always hashed (so erasure can find it and nobody can read it); remove '{subject}: {own.ToString().ToLowerInvariant()}' from 'fields'"
                );
            }
        }
        var retentionNode = m.Take("retention");
        var retention = retentionNode is null ? (TimeSpan?)null : ReadRetention(m, retentionNode);
        m.Finish();
        return new PrivacyPolicy
        {
            Default = fallback,
            Fields = fields,
            Subject = subject,
            Retention = retention,
        };
    }

    private static TimeSpan ReadRetention(YamlMap m, YamlNode node)
    {
        var text = m.Scalar(node, "retention").Trim();
        return Durations.Parse(text) switch
        {
            null => throw m.Error(node, $"'retention' must be a duration such as 90d or 26w, not '{text}'"),
            { } r when r < TimeSpan.FromHours(1) => throw m.Error(
                node,
                $"'retention' is {text}; it is at least 1h, such as retention: 90d"
            ),
            { } r => r,
        };
    }

    private static FieldPolicy ReadFieldPolicy(YamlMap m, YamlNode node, string key)
    {
        var text = m.Scalar(node, key);
        return text switch
        {
            "keep" => FieldPolicy.Keep,
            "drop" => FieldPolicy.Drop,
            "hash" => FieldPolicy.Hash,
            "redact" => FieldPolicy.Redact,
            _ => throw m.Error(
                node,
                $"'{key}' is '{text}'; write keep, drop, hash (the same value links but cannot be read back) or redact (personal data inside the text is masked)"
            ),
        };
    }
}
