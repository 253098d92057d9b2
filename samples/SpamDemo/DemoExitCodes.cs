namespace Overlap.Demo;

/// <summary>How the demo ends, as an exit code (the BSD sysexits values the overlap tool uses too).</summary>
internal static class DemoExitCodes
{
    /// <summary>The demo ran (and served until Ctrl-C, unless asked not to).</summary>
    public const int Done = 0;

    /// <summary>A bad option, or a data folder that is not the demo's.</summary>
    public const int Usage = 64;

    /// <summary>The corpus could not be fetched, or the address is taken.</summary>
    public const int Unavailable = 69;

    /// <summary>The demo's own server answered what it should not: a bug to report.</summary>
    public const int Software = 70;

    /// <summary>A file or folder could not be written.</summary>
    public const int CantCreate = 73;

    /// <summary>Ctrl-C before the demo finished.</summary>
    public const int Cancelled = 130;
}
