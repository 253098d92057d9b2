namespace Overlap.Events;

/// <summary>The body as a whole is not a JSON array or NDJSON of events; the message says where and what to send.</summary>
public sealed class EventFormatException(string message) : Exception(message);
