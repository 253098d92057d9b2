namespace Overlap.Storage;

/// <summary>
/// A dashboard sign-in kept on the server: the cookie carries only a random id, stored here as its SHA-256
/// (<see cref="IdHash"/>), with the signed-in ticket. Sign-out, removing the user or revoking the key sets
/// <see cref="RevokedAt"/>, and the cookie stops working at once. <see cref="Subject"/> says who signed in:
/// <see cref="UserSubject"/> or <see cref="KeySubject"/>.
/// </summary>
public sealed record SessionRecord(
    string IdHash,
    string Subject,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    byte[] Ticket
)
{
    /// <summary>The subject of a user's sessions: "user:" and the name in lower case.</summary>
    public static string UserSubject(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "user:" + name.ToLowerInvariant();
    }

    /// <summary>The subject of sessions signed in with a key: "key:" and the key's id.</summary>
    public static string KeySubject(string keyId) => "key:" + keyId;
}
