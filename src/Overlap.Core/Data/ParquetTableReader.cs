using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Overlap.Core.Data;

/// <summary>
/// Reads Apache Parquet row group by row group into compact columns (Parquet.Net). Numeric physical
/// types stay numbers; strings, booleans, dates and the rest become categories.
/// </summary>
internal static class ParquetTableReader
{
    // Parquet.Net reads only asynchronously and Core's readers are synchronous (the CLI and the server call them off any
    // request thread, and no synchronization context is involved), so this is the one place that waits on a task.
    public static Table Read(Stream stream, TableReadOptions options) =>
        ReadAsync(stream, options).GetAwaiter().GetResult();

    private static async Task<Table> ReadAsync(Stream stream, TableReadOptions options)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy).ConfigureAwait(false);
            copy.Position = 0;
            stream = copy;
        }
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e
                    is IOException
                        or InvalidDataException
                        or InvalidOperationException
                        or NotSupportedException
                        or ArgumentException
            )
        {
            throw new DataException(
                $"{options.Source} is not a readable Parquet file ({e.Message.TrimEnd('.')}); export it again or use CSV or JSON Lines"
            );
        }
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var names = Array.ConvertAll(fields, f => f.Name);
            var builders = TableReaderSupport.CreateBuilders(names, options);
            var rows = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var groupRows = checked((int)group.RowCount);
                for (var i = 0; i < fields.Length; i++)
                {
                    var builder = builders[i];
                    if (builder is null)
                    {
                        continue;
                    }
                    try
                    {
                        await AppendAsync(group, fields[i], groupRows, builder).ConfigureAwait(false);
                    }
                    catch (ColumnValueException e)
                    {
                        throw new DataException($"{options.Source}, row group {g + 1}: {e.Message}");
                    }
                }
                rows += groupRows;
            }
            return TableReaderSupport.Finish(builders, rows, options);
        }
    }

    private static Task AppendAsync(ParquetRowGroupReader group, DataField field, int rows, ColumnBuilder builder)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when type == typeof(double) => AppendNumbersAsync<double>(group, field, rows, builder),
            _ when type == typeof(float) => AppendNumbersAsync<float>(group, field, rows, builder),
            _ when type == typeof(int) => AppendNumbersAsync<int>(group, field, rows, builder),
            _ when type == typeof(long) => AppendNumbersAsync<long>(group, field, rows, builder),
            _ when type == typeof(short) => AppendNumbersAsync<short>(group, field, rows, builder),
            _ when type == typeof(byte) => AppendNumbersAsync<byte>(group, field, rows, builder),
            _ when type == typeof(sbyte) => AppendNumbersAsync<sbyte>(group, field, rows, builder),
            _ when type == typeof(decimal) => AppendNumbersAsync<decimal>(group, field, rows, builder),
            _ when type == typeof(bool) => AppendBooleansAsync(group, field, rows, builder),
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => AppendStringsAsync(
                group,
                field,
                rows,
                builder
            ),
            _ when type == typeof(DateTime) => AppendDatesAsync(group, field, rows, builder),
            _ => throw new ColumnValueException(
                $"column '{field.Name}' has the Parquet type {type.Name}, which overlap does not read; cast it to a number or a string"
            ),
        };
    }

    private static async Task AppendNumbersAsync<T>(
        ParquetRowGroupReader group,
        DataField field,
        int rows,
        ColumnBuilder builder
    )
        where T : struct, INumberBase<T>
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync<T>(field, values.AsMemory(), null).ConfigureAwait(false);
            foreach (var v in values)
            {
                builder.AddNumber(v is null ? double.NaN : double.CreateChecked(v.Value));
            }
        }
        else
        {
            var values = new T[rows];
            await group.ReadAsync<T>(field, values.AsMemory(), null).ConfigureAwait(false);
            foreach (var v in values)
            {
                builder.AddNumber(double.CreateChecked(v));
            }
        }
    }

    private static async Task AppendBooleansAsync(
        ParquetRowGroupReader group,
        DataField field,
        int rows,
        ColumnBuilder builder
    )
    {
        var values = new bool?[rows];
        await group.ReadAsync<bool>(field, values.AsMemory(), null).ConfigureAwait(false);
        foreach (var v in values)
        {
            if (v is null)
            {
                builder.AddMissing();
            }
            else
            {
                builder.AddText(v.Value ? "true" : "false");
            }
        }
    }

    private static async Task AppendDatesAsync(
        ParquetRowGroupReader group,
        DataField field,
        int rows,
        ColumnBuilder builder
    )
    {
        var values = new DateTime?[rows];
        await group.ReadAsync<DateTime>(field, values.AsMemory(), null).ConfigureAwait(false);
        foreach (var v in values)
        {
            if (v is null)
            {
                builder.AddMissing();
            }
            else
            {
                builder.AddText(v.Value.ToString("O", CultureInfo.InvariantCulture));
            }
        }
    }

    private static async Task AppendStringsAsync(
        ParquetRowGroupReader group,
        DataField field,
        int rows,
        ColumnBuilder builder
    )
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory(), null).ConfigureAwait(false);
        foreach (var v in values)
        {
            if (v is null)
            {
                builder.AddMissing();
            }
            else
            {
                builder.AddText(v);
            }
        }
    }
}
