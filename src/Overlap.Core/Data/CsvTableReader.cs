using System.Buffers;
using System.Text;

namespace Overlap.Core.Data;

/// <summary>
/// Streams RFC 4180 CSV (header row, double-quote quoting, quoted newlines, CRLF or LF, UTF-8 with or
/// without BOM) into compact columns. Fields are sliced as spans and parsed in place, so a million-row
/// file costs one string per line rather than one per field; the separator is ',' unless the header
/// holds tabs or semicolons and no commas.
/// </summary>
internal static class CsvTableReader
{
    public static Table Read(Stream stream, TableReadOptions options)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var lineNumber = 0;
        var headerLine = ReadRecord(reader, ref lineNumber, out _);
        if (headerLine is null || headerLine.Trim().Length == 0)
        {
            throw new DataException($"{options.Source} is empty: a CSV file needs a header row naming its columns, then one row per example");
        }
        var separator = DetectSeparator(headerLine);
        var scratch = new StringBuilder();
        var header = new List<string>();
        SplitInto(headerLine, separator, header, scratch);
        var builders = TableReaderSupport.CreateBuilders(header, options);
        var fields = new List<Range>(header.Count);
        var unquoted = new char[256];
        var rows = 0;
        while (true)
        {
            var record = ReadRecord(reader, ref lineNumber, out var startLine);
            if (record is null)
            {
                break;
            }
            if (record.Length == 0)
            {
                continue;
            }
            fields.Clear();
            Slice(record, separator, fields);
            if (fields.Count != header.Count)
            {
                throw new DataException($"{options.Source}, line {startLine}: {fields.Count} fields where the header has {header.Count}; quote values that contain '{separator}' and check the row is complete");
            }
            for (var i = 0; i < builders.Length; i++)
            {
                var builder = builders[i];
                if (builder is null)
                {
                    continue;
                }
                var field = record.AsSpan(fields[i]);
                try
                {
                    if (field.Length > 0 && field[0] == '"')
                    {
                        builder.AddText(Unquote(field, ref unquoted));
                    }
                    else
                    {
                        builder.AddText(field);
                    }
                }
                catch (ColumnValueException e)
                {
                    throw new DataException($"{options.Source}, line {startLine}: {e.Message}");
                }
            }
            rows++;
        }
        return TableReaderSupport.Finish(builders, rows, options);
    }

    private static char DetectSeparator(string header)
    {
        if (header.Contains(',', StringComparison.Ordinal))
        {
            return ',';
        }
        if (header.Contains('\t', StringComparison.Ordinal))
        {
            return '\t';
        }
        return header.Contains(';', StringComparison.Ordinal) ? ';' : ',';
    }

    /// <summary>Reads one logical record: physical lines joined while a quoted field is open.</summary>
    private static string? ReadRecord(StreamReader reader, ref int lineNumber, out int startLine)
    {
        var line = reader.ReadLine();
        lineNumber++;
        startLine = lineNumber;
        if (line is null)
        {
            return null;
        }
        if (!HasOpenQuote(line))
        {
            return line;
        }
        var sb = new StringBuilder(line);
        while (HasOpenQuote(sb))
        {
            var next = reader.ReadLine();
            if (next is null)
            {
                break;
            }
            lineNumber++;
            sb.Append('\n').Append(next);
        }
        return sb.ToString();
    }

    private static bool HasOpenQuote(string line)
    {
        if (!line.Contains('"', StringComparison.Ordinal))
        {
            return false;
        }
        return line.AsSpan().Count('"') % 2 == 1;
    }

    private static bool HasOpenQuote(StringBuilder sb)
    {
        var quotes = 0;
        foreach (var chunk in sb.GetChunks())
        {
            quotes += chunk.Span.Count('"');
        }
        return quotes % 2 == 1;
    }

    private static void Slice(string record, char separator, List<Range> fields)
    {
        var span = record.AsSpan();
        var start = 0;
        var i = 0;
        while (i <= span.Length)
        {
            if (i < span.Length && span[i] == '"' && i == start)
            {
                i++;
                while (i < span.Length)
                {
                    if (span[i] == '"')
                    {
                        if (i + 1 < span.Length && span[i + 1] == '"')
                        {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                i++;
                continue;
            }
            if (i == span.Length || span[i] == separator)
            {
                var end = i;
                if (end > start && span[end - 1] == '\r')
                {
                    end--;
                }
                fields.Add(new Range(start, end));
                start = i + 1;
                if (i == span.Length)
                {
                    break;
                }
                i++;
                continue;
            }
            var next = span[i..].IndexOfAny(separator, '"');
            if (next < 0)
            {
                i = span.Length;
            }
            else if (span[i + next] == '"')
            {
                i += next + 1;
            }
            else
            {
                i += next;
            }
        }
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field, ref char[] buffer)
    {
        var inner = field[1..];
        var close = inner.LastIndexOf('"');
        if (close >= 0)
        {
            inner = inner[..close];
        }
        if (inner.IndexOf("\"\"", StringComparison.Ordinal) < 0)
        {
            return inner;
        }
        if (buffer.Length < inner.Length)
        {
            buffer = new char[inner.Length * 2];
        }
        var k = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            buffer[k++] = inner[i];
            if (inner[i] == '"' && i + 1 < inner.Length && inner[i + 1] == '"')
            {
                i++;
            }
        }
        return buffer.AsSpan(0, k);
    }

    private static void SplitInto(string record, char separator, List<string> output, StringBuilder scratch)
    {
        var ranges = new List<Range>();
        Slice(record, separator, ranges);
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, record.Length));
        try
        {
            foreach (var r in ranges)
            {
                var field = record.AsSpan(r);
                var value = field.Length > 0 && field[0] == '"' ? Unquote(field, ref buffer) : field;
                scratch.Clear().Append(value.Trim());
                output.Add(scratch.ToString().TrimStart('\uFEFF'));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
