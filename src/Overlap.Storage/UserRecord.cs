namespace Overlap.Storage;

/// <summary>
/// A person who signs in to the dashboard with a name and password: never the password, only its salted slow hash.
/// <see cref="Stamp"/> changes whenever the password does (and a removed and re-added user gets a new one), so a
/// session signed in before no longer matches.
/// </summary>
public sealed record UserRecord(
    string Name,
    KeyRole Role,
    string PasswordHash,
    string Stamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset PasswordChangedAt
);
