using System.Text;
using System.Text.Json;

namespace Overlap.Core.Data;

/// <summary>
/// Streams JSON Lines (one object per line) into compact columns. Keys may differ between lines: a key
/// absent from a line is a missing value there. Numbers stay numbers, booleans become the categories
/// "true"/"false", nested objects and arrays are kept as their JSON text.
/// </summary>
internal static class JsonLinesTableReader
{
    public static Table Read(Stream stream, TableReadOptions options)
    {
        var keep = options.Columns is null ? null : new HashSet<string>(options.Columns, StringComparer.Ordinal);
        var builders = new List<ColumnBuilder>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        var touched = new List<bool>();
        var lines = new LineSplitter(stream);
        var rows = 0;
        var lineNumber = 0;
        var nameBuffer = new char[256];
        var textBuffer = new char[1024];
        while (lines.Next(out var line))
        {
            lineNumber++;
            if (line.Trim((byte)' ').Trim((byte)'\r').IsEmpty)
            {
                continue;
            }
            for (var i = 0; i < touched.Count; i++)
            {
                touched[i] = false;
            }
            try
            {
                var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = true });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new DataException(
                        $"{options.Source}, line {lineNumber}: expected a JSON object such as {{\"score\": 0.9, \"label\": 1}}; each line must hold one object"
                    );
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var nameLength = Decode(ref reader, ref nameBuffer);
                    var name = nameBuffer.AsSpan(0, nameLength);
                    reader.Read();
                    if (!lookup.TryGetValue(name, out var index))
                    {
                        var key = name.ToString();
                        if (keep is not null && !keep.Contains(key))
                        {
                            byName[key] = -1;
                            reader.Skip();
                            continue;
                        }
                        var builder = new ColumnBuilder(key, options.Rules.GetValueOrDefault(key));
                        for (var r = 0; r < rows; r++)
                        {
                            builder.AddMissing();
                        }
                        index = builders.Count;
                        builders.Add(builder);
                        touched.Add(false);
                        byName[key] = index;
                    }
                    if (index < 0)
                    {
                        reader.Skip();
                        continue;
                    }
                    var target = builders[index];
                    touched[index] = true;
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.Number:
                            target.AddNumber(reader.GetDouble());
                            break;
                        case JsonTokenType.String:
                            var length = Decode(ref reader, ref textBuffer);
                            target.AddText(textBuffer.AsSpan(0, length));
                            break;
                        case JsonTokenType.True:
                            target.AddText("true");
                            break;
                        case JsonTokenType.False:
                            target.AddText("false");
                            break;
                        case JsonTokenType.Null:
                            target.AddMissing();
                            break;
                        default:
                            var start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            var raw = line.Slice(start, (int)reader.BytesConsumed - start);
                            target.AddText(Encoding.UTF8.GetString(raw));
                            break;
                    }
                }
                for (var i = 0; i < builders.Count; i++)
                {
                    if (!touched[i])
                    {
                        builders[i].AddMissing();
                    }
                }
            }
            catch (JsonException e)
            {
                throw new DataException(
                    $"{options.Source}, line {lineNumber}: not valid JSON ({FirstSentence(e.Message)}); each line must be one complete JSON object"
                );
            }
            catch (ColumnValueException e)
            {
                throw new DataException($"{options.Source}, line {lineNumber}: {e.Message}");
            }
            catch (FormatException e)
            {
                throw new DataException(
                    $"{options.Source}, line {lineNumber}: a number is out of range ({FirstSentence(e.Message)})"
                );
            }
            catch (InvalidOperationException e)
            {
                throw new DataException(
                    $"{options.Source}, line {lineNumber}: unreadable value ({FirstSentence(e.Message)})"
                );
            }
            rows++;
        }
        if (rows == 0)
        {
            throw new DataException(
                $"{options.Source} is empty: a JSON Lines file needs one JSON object per line, one line per example"
            );
        }
        var names = builders.ConvertAll(b => b.Name);
        _ = TableReaderSupport.CreateBuilders(names, options);
        return TableReaderSupport.Finish([.. builders], rows, options);
    }

    private static int Decode(ref Utf8JsonReader reader, ref char[] buffer)
    {
        var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (buffer.Length < needed)
        {
            buffer = new char[needed * 2];
        }
        return reader.CopyString(buffer);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }

    /// <summary>Yields the lines of a UTF-8 stream as byte spans over a reused, growing buffer.</summary>
    private sealed class LineSplitter(Stream stream)
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private bool _eof;
        private bool _first = true;

        public bool Next(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, newline);
                    _start += newline + 1;
                    return true;
                }
                if (_eof)
                {
                    if (_start < _end)
                    {
                        line = _buffer.AsSpan(_start, _end - _start);
                        _start = _end;
                        return true;
                    }
                    line = default;
                    return false;
                }
                Fill();
            }
        }

        private void Fill()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
                return;
            }
            _end += read;
            if (_first)
            {
                _first = false;
                if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
                {
                    _start = 3;
                }
            }
        }
    }
}
