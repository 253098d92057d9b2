using Microsoft.AspNetCore.DataProtection;

namespace Overlap.Server.Auth;

/// <summary>
/// Device cookies, as OWASP advises against lock-outs used as a weapon: a browser where a user signed in with their
/// password carries a protected cookie naming them, and guesses at their name from elsewhere do not hold that
/// browser back. The cookie grants nothing by itself.
/// </summary>
internal sealed class TrustedDevices(IDataProtectionProvider protection, ServerOptions options)
{
    public const string CookieName = "overlap-device";

    /// <summary>How long a browser stays trusted after a sign-in.</summary>
    public static readonly TimeSpan For = TimeSpan.FromDays(90);

    private readonly IDataProtector _protector = protection.CreateProtector("Overlap.TrustedDevice");

    /// <summary>Whether the request comes from a browser where <paramref name="name"/> signed in before.</summary>
    public bool IsTrusted(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return false;
        }
        try
        {
            return string.Equals(_protector.Unprotect(cookie), name, StringComparison.OrdinalIgnoreCase);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Marks the browser as one where <paramref name="name"/> signed in.</summary>
    public void Trust(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(
            CookieName,
            _protector.Protect(name.ToLowerInvariant()),
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Expires = options.Time.GetUtcNow() + For,
            }
        );
    }
}
