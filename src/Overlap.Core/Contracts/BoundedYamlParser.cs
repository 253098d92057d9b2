using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Overlap.Core.Contracts;

/// <summary>
/// YamlDotNet's parser with a nesting limit: its node model recurses once per level, so a document nested 100,000 deep
/// overflows the stack and kills the process. This wrapper counts mappings and sequences as they open and refuses the
/// document past <see cref="MaxDepth"/>, before the model goes deeper. It also remembers where each flow collection
/// (<c>{</c>, <c>[</c>) opened, so an unclosed one is reported at its opening.
/// </summary>
internal sealed class BoundedYamlParser(string text) : IParser
{
    /// <summary>The deepest nesting a contract may have (a contract needs five or six levels; JSON's default limit is 64).</summary>
    public const int MaxDepth = 64;

    private readonly Parser _inner = new(new StringReader(text));
    private readonly Stack<ParsingEvent> _open = new();

    public ParsingEvent? Current => _inner.Current;

    /// <summary>The innermost flow collection (<c>{</c> or <c>[</c>) opened and not closed yet, if any.</summary>
    public ParsingEvent? OpenFlow =>
        _open.FirstOrDefault(e =>
            e is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow }
        );

    /// <summary>Where the parser has read up to: the end of the last event it gave.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }
        var current = _inner.Current!;
        LastEnd = current.End;
        switch (current)
        {
            case MappingStart or SequenceStart:
                _open.Push(current);
                if (_open.Count > MaxDepth)
                {
                    throw new YamlException(
                        current.Start,
                        current.End,
                        $"the contract is nested more than {MaxDepth} levels deep; a contract needs a few levels, so flatten it"
                    );
                }
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                _open.Pop();
                break;
        }
        return true;
    }
}
