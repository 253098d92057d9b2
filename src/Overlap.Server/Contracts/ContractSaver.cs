using Overlap.Core.Contracts;
using Overlap.Server.Alerts;
using Overlap.Storage;

namespace Overlap.Server.Contracts;

/// <summary>
/// Saves a new version of a feature's contract after the checks every writer shares (<c>PUT /v1/features/{f}/contract</c>
/// and the dashboard's editor): it parses, it names the feature it is saved for, and its webhooks reach only addresses
/// <see cref="WebhookAddressPolicy"/> allows. The parsed contract becomes the feature's current one at once
/// (<see cref="ContractRegistry.Saved"/>): this is the one path that changes it.
/// </summary>
internal sealed class ContractSaver(
    IContractStore store,
    ContractRegistry features,
    ServerOptions options,
    WebhookAddressPolicy addresses
)
{
    /// <summary>The saved version, or why nothing was saved.</summary>
    public async Task<ContractSave> SaveAsync(
        string feature,
        string text,
        string changedBy,
        CancellationToken cancellationToken
    )
    {
        Contract contract;
        try
        {
            // YAML is a superset of JSON, so one parser reads both.
            contract = ContractParser.Parse(text, $"the contract for '{feature}'");
        }
        catch (ContractException e)
        {
            return ContractSave.Refused("The contract is not valid", e.Message);
        }
        if (contract.Feature != feature)
        {
            return ContractSave.Refused(
                "The contract names another feature",
                $"The contract says 'feature: {contract.Feature}' but is saved as the contract of '{feature}'; make the two the same."
            );
        }
        var hooks = contract.Monitoring?.AlertWebhooks ?? [];
        for (var i = 0; i < hooks.Count; i++)
        {
            if (
                Uri.TryCreate(hooks[i], UriKind.Absolute, out var url)
                && await addresses.CheckAsync(url, cancellationToken).ConfigureAwait(false) is { } refusal
            )
            {
                return ContractSave.Refused(
                    "A webhook may not reach that address",
                    $"monitoring.alerts[{i}].webhook {refusal}; {WebhookAddressPolicy.HowToAllow}."
                );
            }
        }
        var version = await store
            .PutContractAsync(feature, text, changedBy, options.Time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        features.Saved(version, contract);
        return new ContractSave(version, null, null);
    }
}

/// <summary>A saved version, or the title and detail of why the contract was refused.</summary>
internal sealed record ContractSave(ContractVersion? Saved, string? Title, string? Detail)
{
    public static ContractSave Refused(string title, string detail) => new(null, title, detail);
}
