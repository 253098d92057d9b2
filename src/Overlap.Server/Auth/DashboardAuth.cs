using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// Sign-in for the browser: an API key pasted once, or a user's name and password, becomes an HttpOnly, SameSite=Strict
/// cookie carrying only a session id; the session is kept on the server (<see cref="SessionTicketStore"/>), so
/// signing out ends it for good. API calls keep authenticating by key; a request is sent to the key scheme when it
/// carries a key or asks for the API.
/// </summary>
internal static class DashboardAuth
{
    /// <summary>The scheme that picks the key or the cookie for a request.</summary>
    public const string Selector = "KeyOrCookie";

    /// <summary>How long a sign-in lasts without use.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromHours(8);

    /// <summary>Adds the key scheme, the cookie scheme and the selector between them; cookie keys live in the data folder (in the shared state store on the server backend).</summary>
    public static AuthenticationBuilder Add(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<AuthThrottle>();
        services.AddSingleton<PasswordBackoff>();
        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<SessionTicketStore>();
        services.AddSingleton<KeyUsage>();
        services.AddSingleton<AccessAdmin>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyUsage>());
        services
            .AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTicketStore>((o, sessions) => o.SessionStore = sessions);
        var protection = services.AddDataProtection().SetApplicationName("overlap");
        if (options.SharedStore)
        {
            // Every instance on the shared store seals and opens cookies with the same keys, kept in that store.
            services
                .AddOptions<KeyManagementOptions>()
                .Configure<ICookieKeyStore>((o, store) => o.XmlRepository = new StoredCookieKeys(store));
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataFolder, "cookie-keys")));
        }
        return services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = Selector;
                o.DefaultChallengeScheme = Selector;
            })
            .AddPolicyScheme(Selector, "An API key or the dashboard's cookie", o =>
                o.ForwardDefaultSelector = context =>
                    IsApi(context.Request)
                        ? ApiKeyAuthentication.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme
            )
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = Idle;
                o.SlidingExpiration = true;
                o.Cookie.Name = "overlap";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the dashboard is served over HTTPS; plain HTTP is for loopback.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // A user removed, or whose password was set again, is signed out on their next request.
                o.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<UserSessions>().ValidateAsync(context);
            });
    }

    /// <summary>Whether a request is an API call: it carries a key, or asks for the API, the OpenAPI document or health.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Key")
        || request.Headers.Authorization.Count > 0
        || request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
        || request.Path.StartsWithSegments("/openapi", StringComparison.Ordinal)
        || request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);

    /// <summary>A return address inside the dashboard, or the overview (never another site).</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url
        && url[0] == '/'
        && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
