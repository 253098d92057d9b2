using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Overlap.Guard;

/// <summary>A call's named inputs as the JSON object a prediction's <c>inputs</c> holds.</summary>
internal static class GuardInputs
{
    public static string Json(IReadOnlyDictionary<string, object?> inputs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in inputs)
            {
                w.WritePropertyName(name);
                Write(w, value);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                w.WriteNumberValue(f);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case decimal m:
                w.WriteNumberValue(m);
                break;
            case JsonElement e:
                e.WriteTo(w);
                break;
            case IFormattable f:
                w.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteStringValue(value.ToString());
                break;
        }
    }
}
