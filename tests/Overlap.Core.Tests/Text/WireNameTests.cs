using System.Text.Json;
using Overlap.Core.Monitoring;
using Overlap.Core.Text;

namespace Overlap.Core.Tests.Text;

public sealed class WireNameTests
{
    [Theory]
    [InlineData(AlertState.NoData, "no_data")]
    [InlineData(AlertState.Ok, "ok")]
    [InlineData(AlertState.Warning, "warning")]
    [InlineData(AlertState.Alert, "alert")]
    public void A_state_has_one_name_in_storage_and_in_json(AlertState state, string name)
    {
        Assert.Equal(name, WireName.Of(state));
        Assert.Equal(state, WireName.Parse<AlertState>(name));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(state));
        Assert.Equal(state, JsonSerializer.Deserialize<AlertState>($"\"{name}\""));
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_the_known_ones()
    {
        Assert.False(WireName.TryParse<AlertState>("Alert", out _));
        Assert.False(WireName.TryParse<AlertState>(null, out _));
        var refused = Assert.Throws<FormatException>(() => WireName.Parse<AlertState>("red"));
        Assert.Equal("'red' is not a name of AlertState; expected no_data, ok, warning, alert", refused.Message);
    }
}
