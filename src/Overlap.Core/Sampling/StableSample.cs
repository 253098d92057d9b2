using System.IO.Hashing;
using System.Text;

namespace Overlap.Core.Sampling;

/// <summary>
/// Which rows a sample takes, as a rule on each row's id alone, so every store (and every order of arrival) picks the
/// same rows. An id's key is XXH64 (xxHash64, seed 0) of its UTF-8 bytes; its uniform is the key's top 53 bits divided
/// by 2^53, a number in [0, 1). A share <c>s</c> of the ids is those whose uniform is below <c>s</c>; a sample of
/// <c>k</c> rows is the <c>k</c> rows with the smallest keys (ties, which need two ids with the same 64-bit hash,
/// go to the id that comes first by its UTF-8 bytes). docs/api.md ("Sampling and derived ids") states the same rules.
/// </summary>
public static class StableSample
{
    /// <summary>What is appended to an id before hashing to decide whether a review item needs a second opinion.</summary>
    public const string SecondOpinionSuffix = "#second";

    private const double TwoTo53 = 9007199254740992.0;

    /// <summary>The id's sampling key: XXH64 of its UTF-8 bytes with seed 0.</summary>
    public static ulong Key(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id));
    }

    /// <summary>The id's uniform in [0, 1): the top 53 bits of <see cref="Key"/> over 2^53.</summary>
    public static double Uniform(string id) => (Key(id) >> 11) / TwoTo53;

    /// <summary>Whether a share <paramref name="share"/> (in [0, 1]) of ids takes this one: its uniform is below the share.</summary>
    public static bool Takes(string id, double share) => Uniform(id) < share;

    /// <summary>Whether a routed review item needs a second reviewer, given the share that does: the rule of <see cref="Takes"/> on the id followed by <see cref="SecondOpinionSuffix"/>.</summary>
    public static bool NeedsSecondOpinion(string id, double share)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Takes(id + SecondOpinionSuffix, share);
    }

    /// <summary>The sample of at most <paramref name="size"/> of <paramref name="ids"/>: those with the smallest keys, in the order of <paramref name="ids"/>.</summary>
    public static IReadOnlyList<string> Pick(IReadOnlyList<string> ids, int size)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var taken = ids.Select((id, i) => (Rank: Rank.Of(id), Index: i))
            .OrderBy(x => x.Rank)
            .Take(size)
            .Select(x => x.Index)
            .Order();
        return [.. taken.Select(i => ids[i])];
    }

    /// <summary>
    /// The sample of at most <paramref name="size"/> of <paramref name="ids"/> picked as they stream in, by
    /// <see cref="Pick"/>'s rule over the distinct ids, holding only the <paramref name="size"/> best so far (a range of
    /// millions of ids is never held whole, nor made distinct first), in no particular order, with how many ids came
    /// (an id that came twice counted twice). An id that comes again is taken once: if it is among those taken it is
    /// there already, and if it was passed over or dropped, the worst taken has only got better since.
    /// </summary>
    public static async Task<(IReadOnlySet<string> Picked, long Count)> PickAsync(
        IAsyncEnumerable<string> ids,
        int size,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        // A heap whose top is the worst of those taken: a new id replaces it when its rank is smaller.
        var taken = new PriorityQueue<string, Rank>(Comparer<Rank>.Create((a, b) => b.CompareTo(a)));
        var held = new HashSet<string>(StringComparer.Ordinal);
        var count = 0L;
        await foreach (var id in ids.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (size == 0 || held.Contains(id))
            {
                continue;
            }
            var rank = Rank.Of(id);
            if (taken.Count < size)
            {
                taken.Enqueue(id, rank);
                held.Add(id);
            }
            else if (taken.TryPeek(out _, out var worst) && rank.CompareTo(worst) < 0)
            {
                held.Remove(taken.EnqueueDequeue(id, rank));
                held.Add(id);
            }
        }
        return (held, count);
    }

    /// <summary>An id's place in a sample's order: its key, then (for two ids with the same key) its UTF-8 bytes.</summary>
    private readonly record struct Rank(ulong Key, byte[] Bytes) : IComparable<Rank>
    {
        public static Rank Of(string id)
        {
            var bytes = Encoding.UTF8.GetBytes(id);
            return new(XxHash64.HashToUInt64(bytes), bytes);
        }

        public int CompareTo(Rank other) =>
            Key != other.Key ? Key.CompareTo(other.Key) : ByteOrder.Instance.Compare(Bytes, other.Bytes);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
