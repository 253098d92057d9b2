using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Overlap.Server.Api;
using Overlap.Server.Auth;
using Overlap.Server.Ingest;
using Overlap.Storage;

namespace Overlap.Server.Contracts;

/// <summary>Contracts: put a new version (admin), read the latest or any version, list the history and the features.</summary>
internal static class ContractEndpoints
{
    /// <summary>A contract is a page of YAML; anything much larger is a mistake.</summary>
    private const int MaxContractBytes = 1024 * 1024;

    public static RouteGroupBuilder MapContracts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/features").WithTags("Contracts");
        group.MapGet("/", ListFeaturesAsync).RequireAuthorization(Policies.Read);
        group.MapPut("/{feature}/contract", PutAsync).RequireAuthorization(Policies.Admin);
        group.MapGet("/{feature}/contract", GetAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{feature}/contract/versions", VersionsAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{feature}/counts", CountsAsync).RequireAuthorization(Policies.Read).RequireFeature();
        return group;
    }

    private static async Task<Ok<string[]>> ListFeaturesAsync(
        IContractStore store,
        CancellationToken cancellationToken
    ) => TypedResults.Ok((await store.ListFeaturesAsync(cancellationToken).ConfigureAwait(false)).ToArray());

    private static async Task<Results<Created<ContractResponse>, BadRequest<ProblemDetails>>> PutAsync(
        string feature,
        HttpRequest request,
        ClaimsPrincipal user,
        ContractSaver saver,
        CancellationToken cancellationToken
    )
    {
        byte[]? body;
        try
        {
            body = await RequestBody.ReadAsync(request, MaxContractBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return Problems.BadRequest(
                "The body is not gzip",
                "The request says 'Content-Encoding: gzip' but the body is not gzip; send it plain or compress it."
            );
        }
        if (body is null)
        {
            return Problems.BadRequest(
                "The contract is too large",
                $"A contract is at most {MaxContractBytes / 1024} KiB of YAML or JSON."
            );
        }
        var saved = await saver
            .SaveAsync(
                feature,
                Encoding.UTF8.GetString(body),
                user.FindFirstValue(ClaimTypes.Name) ?? "unknown",
                cancellationToken
            )
            .ConfigureAwait(false);
        AuditTrail.Detail(
            request.HttpContext,
            saved.Saved is { } stored
                ? string.Create(CultureInfo.InvariantCulture, $"saved as version {stored.Version}")
                : saved.Title!
        );
        return saved.Saved is { } version
            ? TypedResults.Created($"/v1/features/{feature}/contract?version={version.Version}", ToResponse(version))
            : Problems.BadRequest(saved.Title!, saved.Detail!);
    }

    /// <summary>The contract as stored for an admin; for every other role with its webhook addresses masked (<see cref="ContractSecrets"/>).</summary>
    private static async Task<Results<Ok<ContractResponse>, NotFound<ProblemDetails>>> GetAsync(
        string feature,
        int? version,
        ClaimsPrincipal user,
        IContractStore store,
        CancellationToken cancellationToken
    )
    {
        var found = await store.GetContractAsync(feature, version, cancellationToken).ConfigureAwait(false);
        return found is null
            ? Problems.NotFound(
                "No such contract",
                version is null
                    ? $"'{feature}' has no contract yet; PUT one at /v1/features/{feature}/contract."
                    : $"'{feature}' has no contract version {version}; GET /v1/features/{feature}/contract/versions lists them."
            )
            : TypedResults.Ok(
                ToResponse(
                    user.IsInRole(nameof(KeyRole.Admin))
                        ? found
                        : found with
                        {
                            Yaml = ContractSecrets.Mask(found.Yaml),
                        }
                )
            );
    }

    private static async Task<Ok<ContractVersionSummary[]>> VersionsAsync(
        string feature,
        ContractRegistry contracts,
        CancellationToken cancellationToken
    ) =>
        TypedResults.Ok(
            (await contracts.VersionsAsync(feature, cancellationToken).ConfigureAwait(false))
                .Select(v => new ContractVersionSummary(v.Version, v.ChangedBy, v.ChangedAt))
                .ToArray()
        );

    private static async Task<Ok<CountsResponse>> CountsAsync(
        string feature,
        IEventReader store,
        LogLoader loader,
        CancellationToken cancellationToken
    )
    {
        await loader.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var c = await store.CountAsync(feature, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(
            new CountsResponse(feature, c.Predictions, c.Outcomes, c.Feedback, c.Business, c.Labelled)
        );
    }

    private static ContractResponse ToResponse(ContractVersion v) =>
        new(v.Feature, v.Version, v.ChangedBy, v.ChangedAt, v.Yaml);
}
