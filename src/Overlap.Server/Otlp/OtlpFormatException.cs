namespace Overlap.Server.Otlp;

/// <summary>The body is not an OTLP trace export in the encoding its content type names; the message says where and what.</summary>
internal sealed class OtlpFormatException(string message) : Exception(message);
