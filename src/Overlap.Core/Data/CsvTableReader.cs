using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Overlap.Core.Data;

/// <summary>
/// Streams RFC 4180 CSV (header row, double-quote quoting, quoted newlines, CRLF or LF, UTF-8 with or
/// without BOM) into compact columns. The file is read in large blocks of bytes and every field is handed to
/// its column as a slice of that block, so a million-row file costs no string per line or per field; numbers
/// are parsed straight from the bytes. The separator is ',' unless the header holds tabs or semicolons and no commas.
/// </summary>
internal static class CsvTableReader
{
    private const byte Quote = (byte)'"';
    private const byte Newline = (byte)'\n';
    private const byte Return = (byte)'\r';

    public static Table Read(Stream stream, TableReadOptions options)
    {
        var input = new Input(stream, options.Source);
        var separator = input.DetectSeparator();
        var fields = new List<Field>();
        var header = new List<string>();
        if (input.NextRecord(separator, fields, out _))
        {
            foreach (var f in fields)
            {
                header.Add(Encoding.UTF8.GetString(input.Value(f)).Trim().TrimStart('\uFEFF'));
            }
        }
        if (header.Count == 0 || (header.Count == 1 && header[0].Length == 0))
        {
            throw new DataException(
                $"{options.Source} is empty: a CSV file needs a header row naming its columns, then one row per example"
            );
        }
        var builders = TableReaderSupport.CreateBuilders(header, options);
        if (input.EstimateRecords(stream) is var expected and > 0)
        {
            foreach (var b in builders)
            {
                b?.Reserve(expected);
            }
        }
        var rows = 0;
        while (input.NextRecord(separator, fields, out var line))
        {
            if (fields.Count == 1 && fields[0].Length == 0 && !fields[0].Quoted)
            {
                continue;
            }
            if (fields.Count != header.Count)
            {
                throw new DataException(
                    $"{options.Source}, line {line}: {fields.Count} fields where the header has {header.Count}; quote values that contain '{(char)separator}' and check the row is complete"
                );
            }
            for (var i = 0; i < builders.Length; i++)
            {
                if (builders[i] is not { } builder)
                {
                    continue;
                }
                try
                {
                    builder.AddUtf8(input.Value(fields[i]));
                }
                catch (ColumnValueException e)
                {
                    throw new DataException($"{options.Source}, line {line}: {e.Message}");
                }
            }
            rows++;
        }
        return TableReaderSupport.Finish(builders, rows, options);
    }

    /// <summary>Where a field lies in the block: its bytes between the quotes when quoted.</summary>
    private readonly record struct Field(int Start, int Length, bool Quoted, bool Escaped);

    /// <summary>The block of bytes being parsed, refilled from the stream as records are consumed.</summary>
    private sealed class Input(Stream stream, string source)
    {
        private byte[] _buffer = new byte[1 << 20];
        private byte[] _unescaped = new byte[256];
        private int _position;
        private int _end;
        private bool _eof;
        private bool _started;
        private int _line;

        /// <summary>',' unless the first line holds tabs or semicolons and no commas.</summary>
        public byte DetectSeparator()
        {
            Fill();
            var first = _buffer.AsSpan(_position, _end - _position);
            var newline = first.IndexOf(Newline);
            if (newline >= 0)
            {
                first = first[..newline];
            }
            if (first.Contains((byte)','))
            {
                return (byte)',';
            }
            if (first.Contains((byte)'\t'))
            {
                return (byte)'\t';
            }
            return first.Contains((byte)';') ? (byte)';' : (byte)',';
        }

        /// <summary>
        /// How many records the rest of a seekable file holds, judged by the newlines in the block read so far
        /// (a little over, so the columns need not grow); 0 when the stream's length is unknown.
        /// </summary>
        public int EstimateRecords(Stream file)
        {
            if (!file.CanSeek || _end <= _position)
            {
                return 0;
            }
            var block = _buffer.AsSpan(_position, _end - _position);
            var lines = Math.Max(1, block.Count(Newline));
            var remaining = file.Length - file.Position + block.Length;
            var estimate = (double)remaining / block.Length * lines * 1.02;
            return (int)Math.Min(estimate + 16, Array.MaxLength / 2);
        }

        /// <summary>The value of a field, quotes removed and doubled quotes made single.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ReadOnlySpan<byte> Value(Field field) =>
            field.Escaped
                ? Unescape(_buffer.AsSpan(field.Start, field.Length))
                : _buffer.AsSpan(field.Start, field.Length);

        private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw)
        {
            if (_unescaped.Length < raw.Length)
            {
                _unescaped = new byte[raw.Length * 2];
            }
            var k = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                _unescaped[k++] = raw[i];
                if (raw[i] == Quote && i + 1 < raw.Length && raw[i + 1] == Quote)
                {
                    i++;
                }
            }
            return _unescaped.AsSpan(0, k);
        }

        /// <summary>
        /// Slices the next record into <paramref name="fields"/>; false at the end of the file. A record that runs
        /// past the block is parsed again once the block is refilled, so fields always point into one block.
        /// </summary>
        public bool NextRecord(byte separator, List<Field> fields, out int line)
        {
            while (true)
            {
                fields.Clear();
                if (_position >= _end && !Fill())
                {
                    line = _line;
                    return false;
                }
                var newlines = TryParse(separator, fields, out var next);
                if (next >= 0)
                {
                    line = _line + 1;
                    _line += 1 + newlines;
                    _position = next;
                    return true;
                }
                // The record runs past the block: refill (which reads more or reaches the end of the file) and parse it again.
                Fill();
            }
        }

        /// <summary>Parses one record from <see cref="_position"/>; returns where the next starts, or -1 when the block ends first (more bytes needed).</summary>
        private int TryParse(byte separator, List<Field> fields, out int next)
        {
            var span = _buffer.AsSpan(0, _end);
            var stops = separator switch
            {
                (byte)',' => CommaStops,
                (byte)'\t' => TabStops,
                _ => SemicolonStops,
            };
            var newlines = 0;
            var i = _position;
            while (true)
            {
                var start = i;
                var quoted = i < span.Length && span[i] == Quote;
                var escaped = false;
                var valueEnd = -1;
                if (quoted)
                {
                    i++;
                    while (true)
                    {
                        var q = i < span.Length ? span[i..].IndexOf(Quote) : -1;
                        if (q < 0)
                        {
                            if (!_eof)
                            {
                                next = -1;
                                return 0;
                            }
                            newlines += span[i..].Count(Newline);
                            i = span.Length;
                            valueEnd = i;
                            break;
                        }
                        newlines += span.Slice(i, q).Count(Newline);
                        i += q;
                        if (i + 1 >= span.Length && !_eof)
                        {
                            next = -1;
                            return 0;
                        }
                        if (i + 1 < span.Length && span[i + 1] == Quote)
                        {
                            escaped = true;
                            i += 2;
                            continue;
                        }
                        valueEnd = i;
                        i++;
                        break;
                    }
                }
                var stop = FindStop(span, i, separator, stops);
                if (stop < 0 && !_eof)
                {
                    next = -1;
                    return 0;
                }
                var end = stop < 0 ? span.Length : i + stop;
                var atLineEnd = stop < 0 || span[end] == Newline;
                var fieldEnd = atLineEnd && end > start && span[end - 1] == Return ? end - 1 : end;
                fields.Add(
                    quoted
                        ? new Field(start + 1, Math.Max(valueEnd, start + 1) - start - 1, true, escaped)
                        : new Field(start, fieldEnd - start, false, false)
                );
                if (atLineEnd)
                {
                    next = stop < 0 ? span.Length : end + 1;
                    return newlines;
                }
                i = end + 1;
            }
        }

        /// <summary>
        /// Where the field from <paramref name="from"/> ends (the separator or newline, relative to it), or -1:
        /// a plain loop for the short fields that fill most files, a vectorised search past 32 bytes.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int FindStop(ReadOnlySpan<byte> span, int from, byte separator, SearchValues<byte> stops)
        {
            var limit = Math.Min(span.Length, from + 32);
            for (var j = from; j < limit; j++)
            {
                var b = span[j];
                if (b == separator || b == Newline)
                {
                    return j - from;
                }
            }
            if (limit == span.Length)
            {
                return -1;
            }
            var rest = span[limit..].IndexOfAny(stops);
            return rest < 0 ? -1 : rest + limit - from;
        }

        private bool Fill()
        {
            if (_eof)
            {
                return false;
            }
            if (_position > 0)
            {
                _buffer.AsSpan(_position, _end - _position).CopyTo(_buffer);
                _end -= _position;
                _position = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var before = _end;
            while (_end < _buffer.Length)
            {
                var read = stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _eof = true;
                    break;
                }
                _end += read;
            }
            if (!_started)
            {
                _started = true;
                SkipByteOrderMark();
            }
            return _end > before || _end > _position;
        }

        private void SkipByteOrderMark()
        {
            var head = _buffer.AsSpan(0, _end);
            if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _position = 3;
            }
            else if (
                head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            )
            {
                throw new DataException(
                    $"{source} is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8) and run again"
                );
            }
        }

        private static readonly SearchValues<byte> CommaStops = SearchValues.Create([(byte)',', Newline]);
        private static readonly SearchValues<byte> TabStops = SearchValues.Create([(byte)'\t', Newline]);
        private static readonly SearchValues<byte> SemicolonStops = SearchValues.Create([(byte)';', Newline]);
    }
}
