using System.Text.Json.Serialization;

namespace Overlap.Demo.Model;

/// <summary>Source-generated JSON for the model's information file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SpamModelInfo))]
internal sealed partial class SpamModelJson : JsonSerializerContext;
