namespace Overlap.Server.Alerts;

/// <summary>A webhook's address is not one it may reach; thrown before any connection is made.</summary>
internal sealed class WebhookRefusedException(string message) : Exception(message) { }
