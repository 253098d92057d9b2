namespace Overlap.Cli;

/// <summary>Exit codes: verdicts first, then sysexits.h for errors.</summary>
internal static class ExitCodes
{
    public const int Pass = 0;
    public const int Fail = 1;
    public const int Inconclusive = 2;
    public const int Usage = 64;
    public const int DataError = 65;
    public const int NoInput = 66;

    /// <summary>No such user (EX_NOUSER).</summary>
    public const int NoUser = 67;

    /// <summary>A needed service or store is unavailable (EX_UNAVAILABLE): the store is locked by a running server.</summary>
    public const int Unavailable = 69;
    public const int Software = 70;
    public const int CantCreate = 73;
    public const int Cancelled = 130;
}
