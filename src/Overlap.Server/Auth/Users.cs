using System.Security.Claims;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>Dashboard users: what a name may be, and who a signed-in user is.</summary>
public static class Users
{
    /// <summary>The claim holding the user's <see cref="UserRecord.Stamp"/> at sign-in; a key's session has none.</summary>
    public const string StampClaim = "overlap:stamp";

    /// <summary>The longest user name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The roles a person may have (ingest is for programs, which use keys).</summary>
    public static IReadOnlyList<KeyRole> Roles { get; } = [KeyRole.Viewer, KeyRole.Reviewer, KeyRole.Admin];

    /// <summary>What is wrong with a user name, or null: letters, digits and <c>. _ @ -</c>, such as an e-mail address.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "the user name is empty";
        }
        if (name.Length > MaxNameLength)
        {
            return $"the user name has {name.Length} characters; use at most {MaxNameLength}";
        }
        var bad = name.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-'));
        return bad == default
            ? null
            : $"the user name '{name}' has '{bad}' in it; use letters, digits and . _ @ - only (an e-mail address will do)";
    }

    /// <summary>The signed-in user: name, role and the stamp that must still match the store.</summary>
    public static ClaimsPrincipal Principal(UserRecord user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ClaimsPrincipal(
            new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.Name, user.Name),
                    new Claim(ClaimTypes.NameIdentifier, "user:" + user.Name.ToLowerInvariant()),
                    new Claim(ClaimTypes.Role, user.Role.ToString()),
                    new Claim(StampClaim, user.Stamp),
                ],
                scheme
            )
        );
    }
}
