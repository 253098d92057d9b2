using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Overlap.Events.Experiments;

/// <summary>
/// Which arm of an experiment a unit (a prediction, a user, an account) belongs to: a pure function of the experiment's
/// salt and the unit's id, so the application (through the SDK), the server (<c>GET /v1/experiments/{e}/assign</c>) and
/// any other language agree without asking each other.
/// </summary>
/// <remarks>
/// The rule, for other languages: take the UTF-8 bytes of <c>salt + "\n" + unit</c>, hash them with SHA-256, read the
/// first 8 bytes as a big-endian unsigned integer, keep its top 53 bits and divide by 2^53: a number u in [0, 1). The
/// arms are laid end to end on [0, 1) in the order given, each as wide as its weight over the total; the unit's arm is
/// the one whose stretch holds u.
/// </remarks>
public static class ArmAssignment
{
    private const double TwoTo53 = 9007199254740992.0;

    /// <summary>The unit's point u in [0, 1) for <paramref name="salt"/> (see the remarks).</summary>
    public static double Point(string salt, string unit)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(unit);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + unit), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) / TwoTo53;
    }

    /// <summary>
    /// The index of the arm <paramref name="unit"/> falls in, for arms with the given <paramref name="weights"/> (positive,
    /// any scale: 50/50, 0.9/0.1 or 1/1/1).
    /// </summary>
    public static int Arm(string salt, string unit, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
        {
            throw new ArgumentException("an experiment needs at least one arm", nameof(weights));
        }
        var total = 0.0;
        foreach (var weight in weights)
        {
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                throw new ArgumentException(
                    $"an arm's weight must be a positive number, not {weight}",
                    nameof(weights)
                );
            }
            total += weight;
        }
        var point = Point(salt, unit) * total;
        var end = 0.0;
        for (var i = 0; i < weights.Count - 1; i++)
        {
            end += weights[i];
            if (point < end)
            {
                return i;
            }
        }
        return weights.Count - 1;
    }
}
