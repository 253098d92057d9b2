namespace Overlap.Storage;

/// <summary>
/// A window's stored report (JSON), its mergeable summary (null when not asked for, or stored before summaries were
/// kept), and when it was computed (microseconds since the epoch).
/// </summary>
public sealed record StoredWindow(string Report, byte[]? Summary, long Stamp = 0);
