namespace Overlap.Samples.MailPreview;

/// <summary>Something stopped the scenario that the user can fix; the message says what and how.</summary>
internal sealed class ScenarioException(string message) : Exception(message);
