namespace Overlap.Server.Auth;

/// <summary>A user to add: name, role (viewer, reviewer, admin) and, optionally, the password (else one is generated).</summary>
public sealed record AdminUserRequest(string? Name, string? Role, string? Password);
