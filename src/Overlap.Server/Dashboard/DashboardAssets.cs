using System.Reflection;

namespace Overlap.Server.Dashboard;

/// <summary>
/// The component library's stylesheet and script, and Blazor's own script, embedded in this assembly at build time from
/// their NuGet packages and served from it: nothing from a CDN, the dashboard works offline and from wherever
/// <c>overlap</c> is installed.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Assembly Assembly = typeof(DashboardAssets).Assembly;

    /// <summary>Changes with every build, so browsers may keep an asset for a year.</summary>
    private static readonly string Version = Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> Files = Load();

    /// <summary>The address of an embedded asset.</summary>
    public static string Path(string name) => $"/assets/{Version}/{name}";

    /// <summary>Serves the embedded assets, and Blazor's script where it looks for it; anything else there is a 404.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{version}/{name}", (string name, HttpContext context) =>
            {
                if (!Files.TryGetValue(name, out var file))
                {
                    return Results.NotFound();
                }
                context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.Bytes(file.Bytes, file.ContentType);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/_framework/blazor.web.js", (HttpContext context) =>
            {
                var file = Files["framework/blazor.web.js"];
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(file.Bytes, file.ContentType);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        // The chart library loads its script and its interop module from here, as a Razor class library's assets.
        app.MapGet("/_content/{package}/{name}", (string package, string name, HttpContext context) =>
            {
                if (!Files.TryGetValue($"content/{package}/{name}", out var file))
                {
                    return Results.NotFound();
                }
                context.Response.Headers.CacheControl = "public, max-age=86400";
                return Results.Bytes(file.Bytes, file.ContentType);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    private static Dictionary<string, (string, byte[])> Load()
    {
        var files = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        foreach (
            var resource in Assembly
                .GetManifestResourceNames()
                .Where(r =>
                    r.StartsWith("dashboard/", StringComparison.Ordinal)
                    || r.StartsWith("framework/", StringComparison.Ordinal)
                    || r.StartsWith("content/", StringComparison.Ordinal)
                )
        )
        {
            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource.StartsWith("dashboard/", StringComparison.Ordinal)
                ? resource["dashboard/".Length..]
                : resource;
            var type =
                name.EndsWith(".css", StringComparison.Ordinal) ? "text/css"
                : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript"
                : "application/octet-stream";
            files[name] = (type, copy.ToArray());
        }
        return files;
    }
}
