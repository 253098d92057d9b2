using System.Globalization;

namespace Overlap.Guard;

/// <summary>How a guard that failed itself is said in a trace's reason.</summary>
internal static class GuardFault
{
    public static string Reason(Exception error, bool closed) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the guard failed ({error.GetType().Name}: {error.Message.TrimEnd('.')}); the contract's on_guard_error is {(closed ? "closed" : "open")}"
        );
}
