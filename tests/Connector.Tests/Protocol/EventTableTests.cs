using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;

namespace YuHuan.Connector.Tests.Protocol;

/// <summary>A protocol's event table: wire names (UTF-8) to handlers, looked up without decoding.</summary>
public sealed class EventTableTests
{
    private static readonly ChatResponseUpdate Delta = new(ChatRole.Assistant, "delta");
    private static readonly ChatResponseUpdate Done = new(ChatRole.Assistant, "done");
    private static readonly ChatResponseUpdate Stop = new(ChatRole.Assistant, "stop");

    private static readonly EventTable<object> Table = new(
    [
        new("chat.text.delta"u8, static (_, _) => Delta),
        new("chat.item.done"u8, static (_, _) => Done),
        new("chat_stop"u8, static (_, _) => Stop),
    ]);

    [Theory]
    [InlineData("chat.text.delta", "delta")]
    [InlineData("chat.item.done", "done")]
    [InlineData("chat_stop", "stop")]
    public void Find_AName_GivesItsHandler(string name, string expected)
    {
        var handler = Table.Find(Encoding.UTF8.GetBytes(name));

        Assert.NotNull(handler);
        Assert.Equal(expected, handler(new object(), default)!.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("message_stoP")]
    [InlineData("message_sto")]
    [InlineData("chat.text.deltas")]
    [InlineData("chat.text.delt\u00e4")]
    [InlineData("a name much longer than any name the table holds, longer than the longest event type")]
    public void Find_AnotherName_GivesNothing(string name)
    {
        Assert.Null(Table.Find(Encoding.UTF8.GetBytes(name)));
        Assert.Null(Table.Each);
    }

    [Fact]
    public void Untyped_EveryEventGoesToItsOneHandler()
    {
        var table = EventTable<object>.Untyped(static (_, _) => Delta);

        Assert.NotNull(table.Each);
        Assert.Null(table.Find("chat.text.delta"u8));
    }

    [Fact]
    public void New_ANameTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new EventTable<object>(
        [
            new("ping"u8, static (_, _) => null),
            new("ping"u8, static (_, _) => null),
        ]));
    }
}
