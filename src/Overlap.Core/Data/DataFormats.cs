namespace Overlap.Core.Data;

/// <summary>Picks a <see cref="DataFormat"/> from a file name.</summary>
public static class DataFormats
{
    /// <summary>The format for a file name by its extension, or null when the extension is not one we read.</summary>
    public static DataFormat? FromFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = fileName.ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            name = name[..^3];
        }
        return Path.GetExtension(name) switch
        {
            ".csv" or ".txt" => DataFormat.Csv,
            ".jsonl" or ".ndjson" or ".json" => DataFormat.JsonLines,
            ".parquet" or ".pq" => DataFormat.Parquet,
            _ => null,
        };
    }
}
