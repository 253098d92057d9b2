using Microsoft.Extensions.DependencyInjection;
using Overlap.Server.Contracts;

namespace Overlap.Server.Api;

/// <summary>
/// The check every endpoint about one feature's events shares: the <c>{feature}</c> it names has a contract
/// (<see cref="ContractRegistry"/>), else 404 saying how to give it one. Checked here, once, before the handler runs.
/// </summary>
internal static class FeatureFilter
{
    /// <summary>Refuses a request whose <c>{feature}</c> has no contract.</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(
                async (context, next) =>
                {
                    var feature = context.HttpContext.GetRouteValue("feature") as string ?? "";
                    var contracts = context.HttpContext.RequestServices.GetRequiredService<ContractRegistry>();
                    return contracts.Has(feature)
                        ? await next(context).ConfigureAwait(false)
                        : Answers.NoSuchFeature(feature);
                }
            )
            .ProducesProblem(StatusCodes.Status404NotFound);
}
