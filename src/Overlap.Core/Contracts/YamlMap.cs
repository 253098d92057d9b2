using System.Globalization;
using Overlap.Core.Text;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Contracts;

/// <summary>
/// Reads one YAML mapping of a contract: takes keys by name, converts scalars with a located error,
/// and at <see cref="Finish"/> refuses any key it was not asked for, suggesting the nearest known one.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly string _source;
    private readonly string _where;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly IReadOnlyCollection<string>? _keys;

    /// <summary>Wraps a mapping; <paramref name="keys"/> (from <see cref="ContractKeys"/>) lists every key the parser may take from it, null when free-form.</summary>
    public YamlMap(YamlMappingNode node, string source, string where, IReadOnlyCollection<string>? keys = null)
    {
        _node = node;
        _source = source;
        _where = where;
        _keys = keys;
    }

    public int Line => LineOf(_node);

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public ContractException Error(YamlNode node, string problem) => new(_source, LineOf(node), problem);

    public ContractException Error(string problem) => new(_source, Line, problem);

    public YamlNode? Take(string key)
    {
        if (_keys is not null && !_keys.Contains(key))
        {
            throw new InvalidOperationException(
                $"The parser reads '{key}' in {_where}, which ContractKeys does not list; add it there (and to docs/contract.md and docs/overlap.schema.json)."
            );
        }
        _known.Add(key);
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return
                    v is YamlScalarNode { Value: null or "" or "~" or "null" }
                    && v.Tag.IsEmpty
                    && ((YamlScalarNode)v).Style == YamlDotNet.Core.ScalarStyle.Plain
                    ? null
                    : v;
            }
        }
        return null;
    }

    public YamlNode Require(string key, string example)
    {
        return Take(key) ?? throw Error($"{_where} needs '{key}', for example: {example}");
    }

    public YamlMap? Map(string key, IReadOnlyCollection<string>? keys = null)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlMappingNode m => new YamlMap(m, _source, $"'{key}'", keys),
            _ => throw Error(node, $"'{key}' must be a mapping of keys to values, such as {key}: {{ name: value }}"),
        };
    }

    public string? String(string key)
    {
        var node = Take(key);
        return node is null ? null : Scalar(node, key);
    }

    public string Scalar(YamlNode node, string key) =>
        node switch
        {
            YamlScalarNode s => s.Value ?? string.Empty,
            _ => throw Error(node, $"'{key}' must be a single value, not a list or mapping"),
        };

    public double? Number(
        string key,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        string? hint = null
    )
    {
        var node = Take(key);
        return node is null ? null : Number(node, key, min, max, hint);
    }

    public double Number(
        YamlNode node,
        string key,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        string? hint = null
    )
    {
        var text = Scalar(node, key);
        if (
            !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value)
        )
        {
            throw Error(node, $"'{key}' must be a number, not '{text}'{(hint is null ? string.Empty : "; " + hint)}");
        }
        if (value < min || value > max)
        {
            var range = string.Create(CultureInfo.InvariantCulture, $"{min} to {max}");
            throw Error(node, $"'{key}' is {text}, outside {range}{(hint is null ? string.Empty : "; " + hint)}");
        }
        return value;
    }

    public int? Integer(string key, int min = 0)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }
        var text = Scalar(node, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw Error(node, $"'{key}' must be a whole number of at least {min}, not '{text}'");
        }
        return value;
    }

    public TimeSpan? Duration(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }
        var text = Scalar(node, key).Trim();
        return Durations.Parse(text)
            ?? throw Error(node, $"'{key}' must be a duration such as 30m, 1h, 1d or 7d, not '{text}'");
    }

    public IReadOnlyList<string>? Strings(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlSequenceNode seq => seq.Children.Select(c => Scalar(c, key)).ToList(),
            YamlScalarNode s => [s.Value ?? string.Empty],
            _ => throw Error(node, $"'{key}' must be a list such as [a, b]"),
        };
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlSequenceNode seq => seq,
            _ => throw Error(node, $"'{key}' must be a list, one item per line starting with '- '"),
        };
    }

    public IEnumerable<(string Key, YamlNode Value)> Entries()
    {
        foreach (var (k, v) in _node.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            _known.Add(key);
            yield return (key, v);
        }
    }

    /// <summary>Refuses every key nobody took, all at once.</summary>
    public void Finish()
    {
        var errors = new ContractErrors();
        foreach (var (k, _) in _node.Children)
        {
            if (k is not YamlScalarNode s || s.Value is null || !_known.Contains(s.Value))
            {
                var name = (k as YamlScalarNode)?.Value ?? "?";
                var near = Suggestions.Nearest(name, _known);
                var hint = near is null
                    ? $"the keys allowed here are: {string.Join(", ", _known)}"
                    : $"did you mean '{near}'?";
                errors.Add(Error(k, $"unknown key '{name}' in {_where}; {hint}"));
            }
        }
        errors.ThrowIfAny();
    }
}
