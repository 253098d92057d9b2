namespace Overlap.Storage;

/// <summary>A window's stored report (JSON) and its mergeable summary (null for reports stored before summaries were kept).</summary>
public sealed record StoredWindow(string Report, byte[]? Summary);
