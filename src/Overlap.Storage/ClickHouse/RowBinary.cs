using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Overlap.Storage.ClickHouse;

/// <summary>
/// ClickHouse's <c>RowBinary</c> format, both ways: little-endian numbers, strings as a LEB128 length and UTF-8 bytes,
/// a <c>Nullable</c> value as a byte (1 = NULL) before the value. Doubles travel as their 8 bytes, so a score reads
/// back
/// bit for bit (text formats of older servers do not promise that).
/// </summary>
internal sealed class RowBinaryWriter
{
    private readonly ArrayBufferWriter<byte> _bytes = new(1 << 12);

    /// <summary>The rows written so far.</summary>
    public ReadOnlyMemory<byte> Written => _bytes.WrittenMemory;

    public RowBinaryWriter String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var rest = (ulong)length;
        do
        {
            var b = (byte)(rest & 0x7F);
            rest >>= 7;
            Byte(rest == 0 ? b : (byte)(b | 0x80));
        } while (rest != 0);
        Encoding.UTF8.GetBytes(value, _bytes.GetSpan(length));
        _bytes.Advance(length);
        return this;
    }

    public RowBinaryWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_bytes.GetSpan(8), value);
        _bytes.Advance(8);
        return this;
    }

    public RowBinaryWriter Float64(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_bytes.GetSpan(8), value);
        _bytes.Advance(8);
        return this;
    }

    public RowBinaryWriter String(string? value, bool nullable) =>
        value is null ? Null() : NotNull(nullable).String(value);

    public RowBinaryWriter Float64(double? value) => value is { } v ? NotNull(true).Float64(v) : Null();

    public RowBinaryWriter Int64(long? value) => value is { } v ? NotNull(true).Int64(v) : Null();

    private void Byte(byte value)
    {
        _bytes.GetSpan(1)[0] = value;
        _bytes.Advance(1);
    }

    private RowBinaryWriter Null()
    {
        Byte(1);
        return this;
    }

    private RowBinaryWriter NotNull(bool nullable)
    {
        if (nullable)
        {
            Byte(0);
        }
        return this;
    }
}

/// <summary>Reads <c>RowBinary</c> rows from a response stream, through a buffer.</summary>
internal sealed class RowBinaryReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>
    /// Whether another row follows; before it is read, up to 32 KiB are buffered so a usual row is read without waiting
    /// (a longer row is read on as it comes).
    /// </summary>
    /// <exception cref="StoppedException">ClickHouse stopped the query after part of its answer was sent.</exception>
    public async ValueTask<bool> NextRowAsync(CancellationToken cancellationToken)
    {
        if (_end - _start >= 1 << 15 || _ended)
        {
            return More();
        }
        Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
        while (_end < 1 << 15)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
                break;
            }
            _end += read;
        }
        return More();
    }

    /// <summary>
    /// Whether a row follows. ClickHouse sends an answer as it is made, so an error met after the first rows went out
    /// (a query over its memory limit) cannot change the status any more: its text follows the last whole row instead.
    /// Read as rows it would end inside one, or worse make rows of its letters; so once the answer has ended and the
    /// rest is buffered, rest that begins as ClickHouse's error text ("Code: 241, …" or "Code: 241. DB::Exception: …")
    /// is that error.
    /// </summary>
    private bool More()
    {
        if (_ended && _end - _start > 7)
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            if (rest.StartsWith("Code: "u8) && char.IsAsciiDigit((char)rest[6]) && rest.IndexOf("DB::Exception"u8) > 0)
            {
                throw new StoppedException(Encoding.UTF8.GetString(rest));
            }
        }
        return _start < _end;
    }

    /// <summary>ClickHouse stopped a query after part of its answer was sent; the message is the error it sent.</summary>
    internal sealed class StoppedException(string error) : Exception(error);

    public string String()
    {
        var length = (int)VarUInt();
        if (length <= _end - _start)
        {
            var text = Encoding.UTF8.GetString(_buffer, _start, length);
            _start += length;
            return text;
        }
        var bytes = new byte[length];
        Take(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    public string? NullableString() => IsNull() ? null : String();

    public long Int64()
    {
        Span<byte> bytes = stackalloc byte[8];
        Take(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public ulong UInt64() => unchecked((ulong)Int64());

    public long? NullableInt64() => IsNull() ? null : Int64();

    public double Float64()
    {
        Span<byte> bytes = stackalloc byte[8];
        Take(bytes);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    public double? NullableFloat64() => IsNull() ? null : Float64();

    private bool IsNull()
    {
        Span<byte> flag = stackalloc byte[1];
        Take(flag);
        return flag[0] != 0;
    }

    private ulong VarUInt()
    {
        ulong value = 0;
        var shift = 0;
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            Take(one);
            value |= (ulong)(one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0)
            {
                return value;
            }
            shift += 7;
        }
    }

    private void Take(Span<byte> into)
    {
        while (into.Length > 0)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = stream.Read(_buffer);
                if (_end == 0)
                {
                    throw new EndOfStreamException("ClickHouse's answer ended inside a row");
                }
            }
            var n = Math.Min(into.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(into);
            _start += n;
            into = into[n..];
        }
    }
}
