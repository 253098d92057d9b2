using Google.Protobuf;
using Overlap.Server.Otlp.Wire;

namespace Overlap.Server.Otlp;

/// <summary>
/// An OTLP/HTTP answer: a protobuf message in the encoding of the request (binary protobuf, or OTLP/JSON), with its
/// status. Errors carry a google.rpc.Status whose message says what is wrong and what to send.
/// </summary>
internal sealed class OtlpAnswer(int status, IMessage message, bool json) : IResult
{
    /// <summary>google.rpc.Code INVALID_ARGUMENT.</summary>
    public const int InvalidArgument = 3;

    /// <summary>google.rpc.Code RESOURCE_EXHAUSTED.</summary>
    public const int ResourceExhausted = 8;

    /// <summary>google.rpc.Code UNAVAILABLE.</summary>
    public const int Unavailable = 14;

    public static OtlpAnswer Error(int status, int code, string message, bool json) =>
        new(status, new RpcStatus { Code = code, Message = message }, json);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = json ? "application/json" : "application/x-protobuf";
        var body = json
            ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message))
            : message.ToByteArray();
        await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
