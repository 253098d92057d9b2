namespace Overlap.Samples.MailPreview;

/// <summary>The scenario's entry point.</summary>
internal static class Program
{
    /// <summary>Runs the scenario.</summary>
    public static int Main() => 0;
}
