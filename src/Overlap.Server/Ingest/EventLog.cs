using System.Buffers.Binary;
using System.IO.Hashing;

namespace Overlap.Server.Ingest;

/// <summary>
/// The ingest write-ahead log: accepted batches are appended here and fsynced before the client gets its 202, then
/// loaded into the store in the background (<see cref="LogLoader"/>), so a store checkpoint never sits between a
/// client and its acknowledgement. Segments of up to 64 MiB hold frames of [magic, length, received time, CRC-32,
/// payload]; a torn frame at the end of the last segment (a crash mid-append, never acknowledged) is cut off on open.
/// A position is the segment number in the high bits and the byte offset in the low 40.
/// </summary>
internal sealed class EventLog : IDisposable
{
    private const uint Magic = 0x314C564F; // "OVL1"
    private const int HeaderBytes = 4 + 4 + 8 + 4;
    private const int OffsetBits = 40;
    private readonly string _folder;
    private readonly long _segmentBytes;

    // Append and Rotate both replace the current segment: the one writer and an erasure take turns.
    private readonly Lock _writing = new();
    private FileStream _current;
    private int _segment;
    private long _durableEnd;

    private EventLog(string folder, long segmentBytes, int segment, FileStream current)
    {
        _folder = folder;
        _segmentBytes = segmentBytes;
        _segment = segment;
        _current = current;
        _durableEnd = Position(segment, current.Length);
    }

    /// <summary>Where the last fsynced frame ends: everything before it is durable.</summary>
    public long DurableEnd => Interlocked.Read(ref _durableEnd);

    /// <summary>Opens the log in <paramref name="folder"/>, cutting off a torn last frame.</summary>
    public static EventLog Open(string folder, long segmentBytes = 64L * 1024 * 1024)
    {
        Directory.CreateDirectory(folder);
        var segments = Segments(folder);
        var segment = segments.Count == 0 ? 1 : segments[^1];
        var path = SegmentPath(folder, segment);
        var valid = File.Exists(path) ? ValidLength(path) : 0;
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        stream.SetLength(valid);
        stream.Position = valid;
        return new EventLog(folder, segmentBytes, segment, stream);
    }

    /// <summary>The position a loader starts from when the store has loaded nothing.</summary>
    public long Start => Position(Segments(_folder) is { Count: > 0 } s ? s[0] : _segment, 0);

    /// <summary>Appends one frame and fsyncs it; returns the position after it. Only one writer may call this.</summary>
    public long Append(ReadOnlySpan<byte> payload, long receivedUs)
    {
        lock (_writing)
        {
            if (_current.Length > 0 && _current.Length + HeaderBytes + payload.Length > _segmentBytes)
            {
                NextSegment();
            }
            return Write(payload, receivedUs);
        }
    }

    /// <summary>
    /// Starts a new segment now (when the current one holds anything) and returns where it starts: once the loader has
    /// loaded past every frame before it, <see cref="DeleteBefore"/> with it removes every earlier segment, so an erasure
    /// leaves no copy of what it erased in the log.
    /// </summary>
    public long Rotate()
    {
        lock (_writing)
        {
            if (_current.Length > 0)
            {
                NextSegment();
            }
            return Position(_segment, 0);
        }
    }

    private void NextSegment()
    {
        _current.Flush(flushToDisk: true);
        _current.Dispose();
        _segment++;
        _current = new FileStream(
            SegmentPath(_folder, _segment),
            FileMode.CreateNew,
            FileAccess.Write,
            FileShare.Read,
            1,
            FileOptions.None
        );
    }

    private long Write(ReadOnlySpan<byte> payload, long receivedUs)
    {
        var frame = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(8), receivedUs);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), Crc32.HashToUInt32(payload));
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        _current.Write(frame);
        _current.Flush(flushToDisk: true);
        var end = Position(_segment, _current.Length);
        Interlocked.Exchange(ref _durableEnd, end);
        return end;
    }

    /// <summary>The frames from <paramref name="from"/> up to <paramref name="to"/> (both frame boundaries), in order, with the position after each.</summary>
    public IEnumerable<(long End, long ReceivedUs, byte[] Payload)> Read(long from, long to)
    {
        var segment = SegmentOf(from);
        var offset = OffsetOf(from);
        while (Position(segment, offset) < to)
        {
            var path = SegmentPath(_folder, segment);
            if (!File.Exists(path))
            {
                // A segment that was never written (the log started later): move on.
                segment++;
                offset = 0;
                continue;
            }
            using var stream = new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete
            );
            stream.Position = offset;
            var header = new byte[HeaderBytes];
            while (Position(segment, offset) < to && stream.Position + HeaderBytes <= stream.Length)
            {
                stream.ReadExactly(header);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                var received = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
                var payload = new byte[length];
                stream.ReadExactly(payload);
                offset = stream.Position;
                yield return (Position(segment, offset), received, payload);
            }
            if (Position(segment, offset) < to)
            {
                segment++;
                offset = 0;
            }
        }
    }

    /// <summary>Deletes the segments wholly before <paramref name="position"/> (already loaded).</summary>
    public void DeleteBefore(long position)
    {
        foreach (var s in Segments(_folder).Where(s => s < SegmentOf(position) && s != _segment))
        {
            File.Delete(SegmentPath(_folder, s));
        }
    }

    public void Dispose() => _current.Dispose();

    private static long Position(int segment, long offset) => ((long)segment << OffsetBits) | offset;

    private static int SegmentOf(long position) => (int)(position >> OffsetBits);

    private static long OffsetOf(long position) => position & ((1L << OffsetBits) - 1);

    private static string SegmentPath(string folder, int segment) => Path.Combine(folder, $"segment-{segment:D10}.log");

    private static List<int> Segments(string folder) =>
        [
            .. Directory
                .EnumerateFiles(folder, "segment-*.log")
                .Select(f =>
                    int.Parse(
                        Path.GetFileNameWithoutExtension(f)["segment-".Length..],
                        System.Globalization.CultureInfo.InvariantCulture
                    )
                )
                .Order(),
        ];

    /// <summary>How many bytes of a segment are whole, checksummed frames.</summary>
    private static long ValidLength(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[HeaderBytes];
        long valid = 0;
        while (stream.Position + HeaderBytes <= stream.Length)
        {
            stream.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            if (
                BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
                || length < 0
                || stream.Position + length > stream.Length
            )
            {
                break;
            }
            var payload = new byte[length];
            stream.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)))
            {
                break;
            }
            valid = stream.Position;
        }
        return valid;
    }
}
