namespace Overlap.Server.Auth;

/// <summary>A key just created: <see cref="Key"/> is shown this once and never stored.</summary>
public sealed record NewAdminKey(string Key, AdminKey Details);
