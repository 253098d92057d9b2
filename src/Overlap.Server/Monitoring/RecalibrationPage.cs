using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Overlap.Server.Auth;
using Overlap.Server.Contracts;
using Overlap.Server.Evaluations;

namespace Overlap.Server.Monitoring;

/// <summary>The feature page's recalibrate button posts here (admin, antiforgery checked); back to the page with what it did or why not.</summary>
internal static class RecalibrationPage
{
    /// <summary>Purpose of the protector that seals the outcome into the page's address.</summary>
    public const string Purpose = "Overlap.Dashboard.Recalibration";

    public static void MapRecalibrationPage(this IEndpointRouteBuilder app) =>
        app.MapPost("/features/{name}/recalibrate", RecalibrateAsync)
            .RequireAuthorization(Policies.Admin)
            .DisableAntiforgery()
            .ExcludeFromDescription();

    private static async Task<IResult> RecalibrateAsync(
        string name,
        HttpContext context,
        IAntiforgery antiforgery,
        IDataProtectionProvider protection,
        FeatureMonitor monitor,
        ContractRegistry features,
        CancellationToken cancellationToken
    )
    {
        var page = $"/features/{Uri.EscapeDataString(name)}";
        IResult Back(string message) =>
            Results.Redirect(
                $"{page}?recalibration={Uri.EscapeDataString(EvaluationPageEndpoints.Seal(protection, message, Purpose))}#key-metric"
            );
        if (features.Current(name) is not var (contract, version, _) || contract.Task != Core.Contracts.TaskKind.Binary)
        {
            return Results.Redirect(page);
        }
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return Back("The page had expired: nothing was recalibrated. Press the button again.");
        }
        var (from, to) = await monitor
            .RecalibrationPeriodAsync(contract, version, cancellationToken)
            .ConfigureAwait(false);
        var (basis, refusal) = await monitor
            .RecalibrateAsync(contract, version, from, to, EvaluationEndpoints.Who(context.User), cancellationToken)
            .ConfigureAwait(false);
        return Back(basis is null ? $"Not recalibrated: {refusal}." : $"Recalibrated. {basis.Statement}");
    }
}
