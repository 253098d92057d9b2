using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Overlap.Core.Contracts;
using YamlDotNet.RepresentationModel;

namespace Overlap.Core.Tests.Contracts;

/// <summary>Keeps docs/contract.md, docs/overlap.schema.json and the parser in step.</summary>
public sealed class ContractSchemaTests
{
    /// <summary>The repository's root folder, where Overlap.slnx is.</summary>
    internal static readonly string Root = FindRoot();
    internal static readonly JsonObject Schema = JsonNode
        .Parse(File.ReadAllText(Path.Combine(Root, "docs", "overlap.schema.json")))!
        .AsObject();
    private static readonly string Doc = File.ReadAllText(Path.Combine(Root, "docs", "contract.md"));

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (
            var file in Directory
                .GetDirectories(Path.Combine(Root, "examples"))
                .Select(d => Path.Combine(d, "overlap.yaml"))
                .Where(File.Exists)
        )
        {
            data.Add(Path.GetRelativePath(Root, file));
        }
        return data;
    }

    public static TheoryData<string> MappingPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in ContractKeys.All)
        {
            data.Add(path);
        }
        return data;
    }

    [Fact]
    public void Schema_MetricEnum_IsTheCatalog()
    {
        // Fixed names are the enum; the generative metrics on a named check or criterion match the pattern instead.
        var branches = Resolve(Schema["$defs"]!["metric"]!)["anyOf"]!.AsArray();
        var names = Enum(branches[0]!);
        var pattern = branches[1]!["pattern"]!.GetValue<string>();
        var patterned = MetricCatalog.All.Where(m =>
            m.Name.Contains(MetricCatalog.NamePlaceholder, StringComparison.Ordinal)
        );
        Assert.Equal(
            MetricCatalog.All.Select(m => m.Name).Except(patterned.Select(m => m.Name)).Order(StringComparer.Ordinal),
            names.Order(StringComparer.Ordinal)
        );
        Assert.All(patterned, m =>
            Assert.Matches(
                pattern,
                m.Name.Replace(MetricCatalog.NamePlaceholder, "no_refund", StringComparison.Ordinal)
            )
        );
        Assert.DoesNotMatch(pattern, "check.x.mean");
    }

    [Fact]
    public void Doc_EveryMetric_HasARow()
    {
        foreach (var m in MetricCatalog.All)
        {
            Assert.True(
                Doc.Contains($"| `{m.Name}` |", StringComparison.Ordinal),
                $"docs/contract.md has no row for metric '{m.Name}'"
            );
            var cells = Doc.Split('\n')
                .Single(l => l.StartsWith($"| `{m.Name}` |", StringComparison.Ordinal))
                .Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal(
                m.Interval switch
                {
                    MetricInterval.Wilson => "Wilson",
                    MetricInterval.Bootstrap => "bootstrap",
                    _ => "—",
                },
                cells[3]
            );
            Assert.Equal(m.ProductionOnly ? "yes" : "no", cells[5]);
            Assert.Equal(m.NeedsScore ? "yes" : "no", cells[4]);
            Assert.Equal(
                string.Join(", ", m.Tasks.Select(t => t.ToString().ToLowerInvariant())),
                cells[2].Replace("any", "binary, multiclass, regression, generative", StringComparison.Ordinal)
            );
        }
    }

    [Theory]
    [MemberData(nameof(MappingPaths))]
    public void Schema_Mapping_HasExactlyTheParsersKeys(string path)
    {
        var keys = ContractKeys.All.Single(p => p.Key == path).Value;
        var node = At(path);
        Assert.Equal(false, node["additionalProperties"]?.GetValue<bool>());
        var properties = node["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(keys.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
        foreach (var key in keys)
        {
            Assert.False(
                string.IsNullOrWhiteSpace(Resolve(node["properties"]![key]!)["description"]?.GetValue<string>()),
                $"schema key {path}.{key} has no description"
            );
        }
    }

    [Theory]
    [MemberData(nameof(MappingPaths))]
    public void Doc_Mapping_DocumentsEveryKey(string path)
    {
        var section = path.Length == 0 ? "## Top-level keys" : $"## `{path.Split('.', '[')[0]}`";
        var start = Doc.IndexOf(section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/contract.md has no section '{section}'");
        var end = Doc.IndexOf("\n## ", start + section.Length, StringComparison.Ordinal);
        var text = Doc[start..(end < 0 ? Doc.Length : end)];
        foreach (var key in ContractKeys.All.Single(p => p.Key == path).Value)
        {
            Assert.True(
                text.Contains($"`{key}`", StringComparison.Ordinal),
                $"section '{section}' of docs/contract.md does not document '{key}' ({path})"
            );
        }
    }

    [Fact]
    public void Schema_Enums_MatchTheParser()
    {
        Assert.Equal(ContractKeys.Tasks, Enum(Schema["properties"]!["task"]!));
        Assert.Equal(ContractKeys.DriftTests, Enum(Resolve(Schema["$defs"]!["driftTest"]!)));
        Assert.Equal(ContractKeys.Tasks, System.Enum.GetNames<TaskKind>().Select(t => t.ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Parses(string file)
    {
        var contract = ContractParser.Parse(File.ReadAllText(Path.Combine(Root, file)), file);
        Assert.NotEmpty(contract.Requirements);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ValidatesAgainstSchema(string file)
    {
        var errors = Validate(ToJson(File.ReadAllText(Path.Combine(Root, file))), Schema, "$");
        Assert.Empty(errors);
    }

    [Fact]
    public void Doc_AnnotatedExample_ParsesAndValidates()
    {
        var start = Doc.IndexOf("```yaml\n# yaml-language-server: $schema=../../", StringComparison.Ordinal);
        Assert.True(start >= 0);
        var body = Doc[(start + 8)..Doc.IndexOf("```", start + 8, StringComparison.Ordinal)];
        Assert.Equal("payments-fraud", ContractParser.Parse(body).Feature);
        Assert.Empty(Validate(ToJson(body), Schema, "$"));
    }

    [Theory]
    [InlineData("treshold: 0.5", "unknown key 'treshold'")]
    [InlineData("requirements:\n  - { metric: recal, min: 0.9 }", "matches no branch of anyOf")]
    [InlineData("requirements:\n  - { metric: recall, min: 0.9, max: 0.99 }", "oneOf")]
    [InlineData("monitoring: { window: daily }", "does not match")]
    public void Schema_ParserRefusal_IsRefusedToo(string extra, string expected)
    {
        var yaml =
            "feature: f\ntask: binary\nlabels: { positive: y, negative: n }\ncolumns: { label: l, score: s }\n" + extra;
        Assert.Throws<ContractException>(() => ContractParser.Parse(yaml));
        Assert.Contains(Validate(ToJson(yaml), Schema, "$"), e => e.Contains(expected, StringComparison.Ordinal));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Overlap.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Overlap.slnx not found above the test folder.");
    }

    private static string[] Enum(JsonNode node) => [.. node["enum"]!.AsArray().Select(v => v!.GetValue<string>())];

    private static JsonObject Resolve(JsonNode node)
    {
        var o = node.AsObject();
        return o["$ref"] is { } r ? Resolve(Schema["$defs"]![r.GetValue<string>()["#/$defs/".Length..]]!) : o;
    }

    /// <summary>The schema of the mapping at a ContractKeys path: dots between keys, [] for a list's items, the object branch of a oneOf.</summary>
    private static JsonObject At(string path)
    {
        var node = Schema;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.TrimEnd('[', ']');
            node = Resolve(node["properties"]![name]!);
            if (part.EndsWith("[]", StringComparison.Ordinal))
            {
                node = Resolve(node["items"]!);
            }
            if (node["oneOf"] is JsonArray branches && node["properties"] is null)
            {
                node = branches.Select(b => Resolve(b!)).First(b => b["properties"] is not null);
            }
        }
        return node;
    }

    /// <summary>YAML to JSON as a YAML language server sees it: plain scalars that read as numbers or booleans become those.</summary>
    internal static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) =>
            node switch
            {
                YamlMappingNode m => new JsonObject(
                    m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))
                ),
                YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
                YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p
                    when double.TryParse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) =>
                    JsonValue.Create(d),
                YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } p =>
                    JsonValue.Create(p.Value == "true"),
                YamlScalarNode p => JsonValue.Create(p.Value),
                _ => null,
            };
    }

    /// <summary>A validator for the draft 2020-12 keywords overlap.schema.json uses (JsonSchema.Net is not reachable from this machine's package feed).</summary>
    internal static List<string> Validate(JsonNode? value, JsonObject schema, string where)
    {
        var errors = new List<string>();
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{where}: {value?.ToJsonString()} is not in the enum");
        }
        if (schema["const"] is { } c && !JsonNode.DeepEquals(c, value))
        {
            errors.Add($"{where}: {value?.ToJsonString()} is not {c.ToJsonString()}");
        }
        if (
            schema["oneOf"] is JsonArray oneOf
            && oneOf.Count(b => Validate(value, b!.AsObject(), where).Count == 0) != 1
        )
        {
            errors.Add($"{where}: matches not exactly one branch of oneOf");
        }
        if (schema["not"] is JsonObject not && Validate(value, not, where).Count == 0)
        {
            errors.Add($"{where}: matches 'not'");
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(b => Validate(value, b!.AsObject(), where).Count == 0))
        {
            errors.Add($"{where}: matches no branch of anyOf");
        }
        var type = schema["type"]?.GetValue<string>();
        var kind = value?.GetValueKind();
        var ok = type switch
        {
            null => true,
            "object" => kind == System.Text.Json.JsonValueKind.Object,
            "array" => kind == System.Text.Json.JsonValueKind.Array,
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "number" => kind == System.Text.Json.JsonValueKind.Number,
            "integer" => kind == System.Text.Json.JsonValueKind.Number
                && Math.Floor(value!.GetValue<double>()) == value.GetValue<double>(),
            _ => throw new InvalidOperationException($"type {type} not handled"),
        };
        if (!ok)
        {
            errors.Add($"{where}: is not of type {type}");
            return errors;
        }
        if (value is JsonObject obj)
        {
            foreach (var r in schema["required"]?.AsArray().Select(x => x!.GetValue<string>()) ?? [])
            {
                if (!obj.ContainsKey(r))
                {
                    errors.Add($"{where}: required '{r}' is missing");
                }
            }
            var properties = schema["properties"]?.AsObject();
            foreach (var (key, child) in obj)
            {
                if (properties?[key] is JsonObject p)
                {
                    errors.AddRange(Validate(child, p, $"{where}.{key}"));
                }
                else if (schema["additionalProperties"] is JsonObject extra)
                {
                    errors.AddRange(Validate(child, extra, $"{where}.{key}"));
                }
                else if (schema["additionalProperties"]?.GetValue<bool>() == false)
                {
                    errors.Add($"{where}: unknown key '{key}'");
                }
            }
        }
        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                errors.AddRange(Validate(array[i], items, $"{where}[{i}]"));
            }
        }
        if (
            kind == System.Text.Json.JsonValueKind.String
            && schema["pattern"] is { } pattern
            && !Regex.IsMatch(value!.GetValue<string>(), pattern.GetValue<string>())
        )
        {
            errors.Add($"{where}: '{value}' does not match {pattern}");
        }
        if (kind == System.Text.Json.JsonValueKind.Number)
        {
            var x = value!.GetValue<double>();
            if (
                (schema["minimum"] is { } min && x < min.GetValue<double>())
                || (schema["maximum"] is { } max && x > max.GetValue<double>())
                || (schema["exclusiveMinimum"] is { } emin && x <= emin.GetValue<double>())
            )
            {
                errors.Add($"{where}: {x} is out of range");
            }
        }
        return errors;
    }
}
