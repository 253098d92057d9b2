namespace Overlap.Core.Data;

/// <summary>Reads a data set from a stream into a <see cref="Table"/>, in one pass.</summary>
public static class TableReader
{
    /// <summary>Reads <paramref name="stream"/> as <paramref name="format"/>, keeping and checking columns as <paramref name="options"/> say.</summary>
    /// <exception cref="DataException">The data cannot be used; the message says where and why.</exception>
    public static Table Read(Stream stream, DataFormat format, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return format switch
        {
            DataFormat.Csv => CsvTableReader.Read(stream, options),
            DataFormat.JsonLines => JsonLinesTableReader.Read(stream, options),
            DataFormat.Parquet => ParquetTableReader.Read(stream, options),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }
}
