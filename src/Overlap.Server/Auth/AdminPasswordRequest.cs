namespace Overlap.Server.Auth;

/// <summary>A new password for a user; without one, a strong one is generated.</summary>
public sealed record AdminPasswordRequest(string? Password);
