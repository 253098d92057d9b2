using System.Globalization;
using System.Text;

namespace Overlap.Core.Data;

/// <summary>
/// Accumulates one column while a file streams by. It stays numeric while every value parses as a number
/// and switches to categories at the first value that does not (unless the rule forces a kind).
/// A rejected value throws <see cref="ColumnValueException"/>; the reader adds where it was.
/// </summary>
internal sealed class ColumnBuilder
{
    private const NumberStyles NumberStyle = NumberStyles.Float;
    private readonly ColumnRule _rule;
    private double[] _numbers = new double[1024];
    private int[]? _codes;
    private Dictionary<string, int>? _index;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private List<string>? _categories;
    private ulong[]? _shortKeys;
    private int[]? _shortCodes;
    private char[] _chars = new char[64];
    private int _count;

    public ColumnBuilder(string name, ColumnRule? rule)
    {
        Name = name;
        _rule = rule ?? new ColumnRule();
        if (_rule.Kind == ColumnKind.Categorical)
        {
            SwitchToCategorical();
        }
    }

    public string Name { get; }

    public int Count => _count;

    private bool IsNumeric => _codes is null;

    public void AddMissing()
    {
        if (_rule.Required)
        {
            throw new ColumnValueException($"the {RoleName} is missing; every row needs one");
        }
        if (IsNumeric)
        {
            AppendNumber(double.NaN);
        }
        else
        {
            AppendCode(-1);
        }
    }

    public void AddNumber(double value)
    {
        if (double.IsNaN(value))
        {
            AddMissing();
            return;
        }
        if (IsNumeric)
        {
            Check(value);
            AppendNumber(value);
        }
        else
        {
            AppendCode(CodeOf(NumericColumn.Format(value)));
        }
    }

    public void AddText(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (IsMissingToken(text))
        {
            AddMissing();
            return;
        }
        if (IsNumeric)
        {
            if (
                FastNumber.TryParse(text, out var value)
                || double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out value)
            )
            {
                Check(value);
                AppendNumber(value);
                return;
            }
            if (_rule.Kind == ColumnKind.Numeric)
            {
                throw new ColumnValueException($"'{Shorten(text)}' is not a number; the {RoleName} must be numeric");
            }
            SwitchToCategorical();
        }
        AppendCode(CodeOf(text));
    }

    /// <summary>Makes room for about this many rows at once, so a large file does not grow the column by copying.</summary>
    public void Reserve(int rows)
    {
        if (IsNumeric && _numbers.Length < rows)
        {
            Array.Resize(ref _numbers, rows);
        }
        else if (!IsNumeric && _codes!.Length < rows)
        {
            Array.Resize(ref _codes, rows);
        }
    }

    /// <summary>
    /// Adds a value as UTF-8 bytes, as the CSV reader holds them: a plain decimal is parsed from the bytes, a short
    /// category is found by its bytes packed in a word, anything else is decoded and taken as <see cref="AddText"/> does.
    /// </summary>
    public void AddUtf8(ReadOnlySpan<byte> utf8)
    {
        if (IsNumeric)
        {
            if (FastNumber.TryParse(utf8, out var value))
            {
                Check(value);
                AppendNumber(value);
                return;
            }
        }
        else if (TryPack(utf8, out var key) && _shortKeys![Slot(key)] == key)
        {
            AppendCode(_shortCodes![Slot(key)]);
            return;
        }
        if (_chars.Length < utf8.Length)
        {
            _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        }
        var length = Encoding.UTF8.GetChars(utf8, _chars);
        AddText(_chars.AsSpan(0, length));
        // Remember a short category by its bytes; missing values (code -1) go through AddText each time.
        if (!IsNumeric && _codes![_count - 1] >= 0 && TryPack(utf8, out var packed))
        {
            _shortKeys![Slot(packed)] = packed;
            _shortCodes![Slot(packed)] = _codes[_count - 1];
        }
    }

    /// <summary>How many short categories are remembered by their bytes; more share slots and fall back to the dictionary.</summary>
    private const int ShortSlots = 1024;

    /// <summary>A slot in the short-category cache, by Fibonacci hashing of the packed bytes. Key 0 (empty text) is never stored.</summary>
    private static int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 54);

    /// <summary>One to seven bytes as one word: the bytes, then the length in the top byte.</summary>
    private static bool TryPack(ReadOnlySpan<byte> utf8, out ulong key)
    {
        key = 0;
        if (utf8.Length is 0 or > 7)
        {
            return false;
        }
        for (var i = 0; i < utf8.Length; i++)
        {
            key |= (ulong)utf8[i] << (8 * i);
        }
        key |= (ulong)utf8.Length << 56;
        return true;
    }

    public Column Build() =>
        IsNumeric
            ? new NumericColumn(Name, _numbers, _count)
            : new CategoricalColumn(Name, _codes!, _count, _categories!);

    private string RoleName => _rule.Role is null ? $"value in column '{Name}'" : $"{_rule.Role} (column '{Name}')";

    private void Check(double value)
    {
        if (OutOfRange(value) is { } problem)
        {
            throw new ColumnValueException(problem);
        }
    }

    private string? OutOfRange(double value)
    {
        return _rule.Admits(value)
            ? null
            : $"{NumericColumn.Format(value)} is out of range; the {RoleName} must be between {_rule.Range}";
    }

    /// <summary>
    /// Why <see cref="AddMissing"/>, <see cref="AddNumber"/> or <see cref="AddText"/> would refuse this value (a double,
    /// text or null), without adding it; null when it would be taken.
    /// </summary>
    public string? Refusal(object? value)
    {
        var number = double.NaN;
        switch (value)
        {
            case double d:
                number = d;
                break;
            // Text taken as a category by a column of no kind is never refused: no number to parse.
            case string s when !IsNumeric && _rule.Kind != ColumnKind.Numeric && !IsMissingToken(s.AsSpan().Trim()):
                return null;
            case string s when !IsMissingToken(s.AsSpan().Trim()):
                var text = s.AsSpan().Trim();
                if (
                    FastNumber.TryParse(text, out number)
                    || double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out number)
                )
                {
                    break;
                }
                return _rule.Kind == ColumnKind.Numeric
                    ? $"'{Shorten(text)}' is not a number; the {RoleName} must be numeric"
                    : null;
        }
        if (double.IsNaN(number))
        {
            return _rule.Required ? $"the {RoleName} is missing; every row needs one" : null;
        }
        return IsNumeric ? OutOfRange(number) : null;
    }

    private static bool IsMissingToken(ReadOnlySpan<char> text) =>
        text.IsEmpty
        || text.Equals("NA", StringComparison.OrdinalIgnoreCase)
        || text.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || text.Equals("null", StringComparison.OrdinalIgnoreCase)
        || text.Equals("None", StringComparison.Ordinal)
        || text.Equals("NaN", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= 40 ? text.ToString() : string.Concat(text[..37], "...");

    private void AppendNumber(double value)
    {
        if (_count == _numbers.Length)
        {
            Array.Resize(ref _numbers, _numbers.Length * 2);
        }
        _numbers[_count++] = value;
    }

    private void AppendCode(int code)
    {
        if (_count == _codes!.Length)
        {
            Array.Resize(ref _codes, _codes.Length * 2);
        }
        _codes[_count++] = code;
    }

    private int CodeOf(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var code))
        {
            return code;
        }
        var name = text.ToString();
        code = _categories!.Count;
        _categories.Add(name);
        _index![name] = code;
        return code;
    }

    private void SwitchToCategorical()
    {
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _categories = [];
        _shortKeys = new ulong[ShortSlots];
        _shortCodes = new int[ShortSlots];
        _codes = new int[Math.Max(1024, _numbers.Length)];
        for (var i = 0; i < _count; i++)
        {
            _codes[i] = double.IsNaN(_numbers[i]) ? -1 : CodeOf(NumericColumn.Format(_numbers[i]));
        }
        _numbers = [];
    }
}
