using Microsoft.AspNetCore.Authorization;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>Which roles each kind of endpoint admits. Roles are sets of rights, not a ladder: an ingest key reads nothing.</summary>
internal static class Policies
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";
    public const string Review = "review";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Ingest, p => p.RequireRole(nameof(KeyRole.Ingest), nameof(KeyRole.Admin)));
        options.AddPolicy(Read, p =>
            p.RequireRole(nameof(KeyRole.Viewer), nameof(KeyRole.Reviewer), nameof(KeyRole.Admin))
        );
        options.AddPolicy(Admin, p => p.RequireRole(nameof(KeyRole.Admin)));
        options.AddPolicy(Review, p => p.RequireRole(nameof(KeyRole.Reviewer), nameof(KeyRole.Admin)));
    }
}
