using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Overlap.Core.Text;

/// <summary>
/// The one converter between a state enum and its name on the wire and in storage: the name each member carries in its
/// <see cref="JsonStringEnumMemberNameAttribute"/>. The same attribute names the member in JSON (the enum type carries
/// <see cref="JsonStringEnumConverter{TEnum}"/>), so an enum's names are written once, on its members.
/// </summary>
public static class WireName
{
    /// <summary>The name of <paramref name="value"/>.</summary>
    public static string Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(
        TEnum value
    )
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no such member");

    /// <summary>The member named <paramref name="name"/> (exactly), or false.</summary>
    public static bool TryParse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(
        string? name,
        out TEnum value
    )
        where TEnum : struct, Enum => Names<TEnum>.ByName.TryGetValue(name ?? "", out value);

    /// <summary>The member named <paramref name="name"/>; a name no member carries is an error (a stored value this version does not know).</summary>
    public static TEnum Parse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(
        string name
    )
        where TEnum : struct, Enum =>
        TryParse(name, out TEnum value)
            ? value
            : throw new FormatException(
                $"'{name}' is not a name of {typeof(TEnum).Name}; expected {string.Join(", ", Names<TEnum>.ByName.Keys)}"
            );

    private static class Names<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ByValue = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(
                f => (TEnum)f.GetValue(null)!,
                f =>
                    f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{f.Name} has no wire name")
            );

        public static readonly Dictionary<string, TEnum> ByName = ByValue.ToDictionary(
            p => p.Value,
            p => p.Key,
            StringComparer.Ordinal
        );
    }
}
