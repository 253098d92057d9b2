namespace Overlap.Core.Contracts;

/// <summary>
/// Collects a contract's refusals section by section, so one run of <c>overlap contract validate</c> lists every
/// problem instead of the first; a section that fails yields a stand-in value and the parse goes on.
/// </summary>
internal sealed class ContractErrors
{
    private readonly List<ContractException> _errors = [];

    public int Count => _errors.Count;

    public void Add(ContractException error) => _errors.AddRange(error.Errors);

    public T Try<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (ContractException e)
        {
            Add(e);
            return fallback;
        }
    }

    public void Try(Action read) =>
        Try(
            () =>
            {
                read();
                return true;
            },
            false
        );

    public void ThrowIfAny()
    {
        switch (_errors.Count)
        {
            case 0:
                return;
            case 1:
                throw _errors[0];
            default:
                throw new ContractException(_errors.OrderBy(e => e.Line).ToList());
        }
    }
}
