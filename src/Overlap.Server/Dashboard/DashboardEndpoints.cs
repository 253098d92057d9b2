using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Overlap.Server.Dashboard;

/// <summary>The dashboard at <c>/</c>: server-rendered pages, their assets, and signing out.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this WebApplication app)
    {
        DashboardAssets.Map(app);
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "The form had expired",
                        detail: "Reload the page and sign out again."
                    );
                }
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
                return Results.Redirect("/signin");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
