using System.Text.Json.Serialization;

namespace Overlap.Core.Generative;

/// <summary>Source-generated JSON for the tags column's arrays.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class GenerativeJsonContext : JsonSerializerContext;
