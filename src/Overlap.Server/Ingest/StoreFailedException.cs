namespace Overlap.Server.Ingest;

/// <summary>The store refused a group of batches (disk full, I/O error); none of its events was acknowledged.</summary>
internal sealed class StoreFailedException(Exception inner) : Exception("storing the batch failed", inner);
