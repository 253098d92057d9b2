namespace Overlap.Storage;

/// <summary>What an API key may do. Each role is its own set of rights, not a rung on a ladder: an ingest key cannot read.</summary>
public enum KeyRole
{
    /// <summary>Sends events; reads nothing.</summary>
    Ingest,

    /// <summary>Reads contracts, metrics, drift and alerts.</summary>
    Viewer,

    /// <summary>Reads, and decides review items.</summary>
    Reviewer,

    /// <summary>Everything: contracts, keys, events, reads and reviews.</summary>
    Admin,
}
