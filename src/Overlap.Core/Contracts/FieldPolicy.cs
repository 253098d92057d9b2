namespace Overlap.Core.Contracts;

/// <summary>What the store may keep of one field of an event (an input, an attribute, the output).</summary>
public enum FieldPolicy
{
    /// <summary>The value as sent.</summary>
    Keep,

    /// <summary>Nothing: the field is removed before the event reaches the ingest log.</summary>
    Drop,

    /// <summary>A keyed hash (HMAC-SHA256 with the server's secret): the same value links, but cannot be read back.</summary>
    Hash,

    /// <summary>The text with personal data (e-mail addresses, phone and card numbers, IBANs, IP addresses) masked.</summary>
    Redact,
}
