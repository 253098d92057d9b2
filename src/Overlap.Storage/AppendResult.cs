namespace Overlap.Storage;

/// <summary>What an append stored: new events, and those whose id was already there (a no-op).</summary>
public readonly record struct AppendResult(int Stored, int Duplicates)
{
    /// <summary>Adds two results, for batches written together.</summary>
    public static AppendResult operator +(AppendResult a, AppendResult b) =>
        new(a.Stored + b.Stored, a.Duplicates + b.Duplicates);
}
