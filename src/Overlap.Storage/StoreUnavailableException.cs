namespace Overlap.Storage;

/// <summary>The store cannot be opened (missing, locked by another process, unreadable, or not an Overlap store), cannot be reached, or cannot serve a request now (the embedded store short of memory for it). The message says what to do.</summary>
public sealed class StoreUnavailableException(
    string message,
    Exception? inner = null,
    bool inUse = false,
    bool missing = false,
    bool busy = false
) : Exception(message, inner)
{
    /// <summary>Whether the store is there but cannot serve this request now (short of memory for it): retry shortly.</summary>
    public bool Busy { get; } = busy;

    /// <summary>Whether another process (a running <c>overlap serve</c>) holds the store.</summary>
    public bool InUse { get; } = inUse;

    /// <summary>Whether there is no store where one had to be (<see cref="StorageOptions.MustExist"/>).</summary>
    public bool Missing { get; } = missing;
}
