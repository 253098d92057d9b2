using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;

namespace Overlap.Server.Evaluations;

/// <summary>
/// What the evaluations page needs beside the page itself: its upload form posts here (antiforgery checked, then back to
/// the page with the new run or the reason it was refused), and each run's HTML report is served to signed-in browsers.
/// </summary>
internal static class EvaluationPageEndpoints
{
    /// <summary>Purpose of the protector that seals a refusal into the page's address, so a link cannot put other words on the page.</summary>
    private const string MessagePurpose = "Overlap.Dashboard.EvaluationMessage";

    public static void MapEvaluationPages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/features/{name}/evaluations/upload", UploadAsync)
            .RequireAuthorization(Policies.Review)
            .DisableAntiforgery()
            .ExcludeFromDescription();
        app.MapGet("/features/{name}/evaluations/{id:long}/report", ReportAsync)
            .RequireAuthorization(Policies.Read)
            .ExcludeFromDescription();
    }

    /// <summary>The page's address for <paramref name="feature"/>.</summary>
    public static string PagePath(string feature) => $"/features/{Uri.EscapeDataString(feature)}/evaluations";

    /// <summary>A sealed message from the address back to its text; null when missing or tampered with.</summary>
    public static string? Unseal(IDataProtectionProvider protection, string? sealedMessage) =>
        Unseal(protection, sealedMessage, MessagePurpose);

    /// <summary>A message sealed for an address under <paramref name="purpose"/>, so a link cannot put other words on a page.</summary>
    public static string Seal(IDataProtectionProvider protection, string message, string purpose) =>
        protection.CreateProtector(purpose).Protect(message);

    /// <summary>A message sealed under <paramref name="purpose"/> back to its text; null when missing or tampered with.</summary>
    public static string? Unseal(IDataProtectionProvider protection, string? sealedMessage, string purpose)
    {
        if (string.IsNullOrEmpty(sealedMessage))
        {
            return null;
        }
        try
        {
            return protection.CreateProtector(purpose).Unprotect(sealedMessage);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static async Task<IResult> UploadAsync(
        string name,
        HttpContext context,
        IAntiforgery antiforgery,
        IDataProtectionProvider protection,
        EvaluationRuns runs,
        ContractRegistry features,
        ServerOptions options,
        CancellationToken cancellationToken
    )
    {
        var page = PagePath(name);
        IResult Back(string message) =>
            Results.Redirect($"{page}?error={Uri.EscapeDataString(Seal(protection, message, MessagePurpose))}");
        if (!features.Has(name))
        {
            return Results.Redirect(page);
        }
        // The form is read first, within the size limit (a refusal stores nothing, so it needs no token); the antiforgery
        // check then reads the same buffered form.
        var upload = await Upload
            .ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken)
            .ConfigureAwait(false);
        if (upload.Content is null)
        {
            return Back(upload.Problem!);
        }
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return Back("The form had expired: nothing was added. Choose the file again and add it.");
        }
        var added = await runs.AddFileAsync(
                name,
                upload.Content,
                upload.FileName ?? "file",
                upload.Name,
                EvaluationEndpoints.Who(context.User),
                cancellationToken
            )
            .ConfigureAwait(false);
        return added.Run is { } run
            ? Results.Redirect($"{page}?added={run.Id}")
            : Back($"{added.Title}: {added.Detail}");
    }

    private static async Task<IResult> ReportAsync(
        string name,
        long id,
        EvaluationRuns runs,
        HttpResponse response,
        CancellationToken cancellationToken
    ) =>
        await runs.ReadAsync(name, id, cancellationToken).ConfigureAwait(false) is { } found
            ? EvaluationEndpoints.Html(response, found.Report)
            : Results.NotFound();
}
