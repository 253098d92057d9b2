using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Overlap.Storage;

namespace Overlap.Server.Auth;

/// <summary>
/// The Data Protection key ring (the keys that seal the dashboard's cookies and forms) in the shared state store, for
/// the server backend: every instance reads and adds keys there, so a cookie one instance issued opens on all of them.
/// Data Protection asks for the ring rarely (at start, once a day, and when it meets a key it does not know), and its
/// repository is synchronous, so the calls wait for the store here.
/// </summary>
internal sealed class StoredCookieKeys(ICookieKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ListCookieKeysAsync().GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.AddCookieKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
