namespace Overlap.Server.Auth;

/// <summary>A dashboard user as an admin sees it: never the password.</summary>
public sealed record AdminUser(string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset PasswordChangedAt);
