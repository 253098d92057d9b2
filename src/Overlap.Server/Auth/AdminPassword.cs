namespace Overlap.Server.Auth;

/// <summary>A user added or given a new password: <see cref="Password"/> only when it was generated, shown this once.</summary>
public sealed record AdminPassword(AdminUser User, string? Password);
