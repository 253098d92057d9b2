using System.Text;
using Overlap.Core.Data;
using Parquet.Serialization;

namespace Overlap.Core.Tests.Data;

public sealed class TableReaderTests
{
    private static Table Csv(string text, TableReadOptions? options = null) =>
        TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), DataFormat.Csv, options ?? new TableReadOptions { Source = "t.csv" });

    private static Table Jsonl(string text, TableReadOptions? options = null) =>
        TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), DataFormat.JsonLines, options ?? new TableReadOptions { Source = "t.jsonl" });

    [Fact]
    public void Csv_QuotedFieldsWithSeparatorsQuotesAndNewlines_AreReadAsOneValue()
    {
        var table = Csv("id,text,score\r\n1,\"a, b\",0.5\r\n2,\"say \"\"hi\"\"\",0.25\r\n3,\"two\nlines\",1\r\n");
        Assert.Equal(3, table.RowCount);
        var text = (CategoricalColumn)table.Find("text")!;
        Assert.Equal("a, b", text.Text(0));
        Assert.Equal("say \"hi\"", text.Text(1));
        Assert.Equal("two\nlines", text.Text(2));
        var score = (NumericColumn)table.Find("score")!;
        Assert.Equal([0.5, 0.25, 1.0], score.Values.ToArray());
    }

    [Fact]
    public void Csv_ByteOrderMarkAndMissingTokens_AreHandled()
    {
        var table = Csv("\uFEFFa,b\n1,x\nNA,\n3,null\n");
        Assert.True(table.Has("a"));
        var a = (NumericColumn)table.Find("a")!;
        Assert.True(double.IsNaN(a.Values[1]));
        Assert.Equal(1, a.MissingCount);
        var b = (CategoricalColumn)table.Find("b")!;
        Assert.Equal(2, b.MissingCount);
        Assert.Equal(["x"], b.Categories);
    }

    [Fact]
    public void Csv_ColumnTurningTextHalfway_BecomesCategoricalKeepingEarlierValues()
    {
        var table = Csv("v\n1\n2.5\nabc\n1\n");
        var v = Assert.IsType<CategoricalColumn>(table.Find("v"));
        Assert.Equal(["1", "2.5", "abc", "1"], Enumerable.Range(0, 4).Select(v.Text));
        Assert.Equal(3, v.Categories.Count);
    }

    [Fact]
    public void Csv_WrongFieldCount_NamesTheLine()
    {
        var e = Assert.Throws<DataException>(() => Csv("a,b\n1,2\n3\n"));
        Assert.Equal("t.csv, line 3: 1 fields where the header has 2; quote values that contain ',' and check the row is complete", e.Message);
    }

    [Fact]
    public void Csv_UnknownColumn_SuggestsTheNearestName()
    {
        var e = Assert.Throws<DataException>(() => Csv("p_spam,label\n0.1,1\n", new TableReadOptions { Source = "t.csv", Columns = ["p_spma", "label"] }));
        Assert.Equal("t.csv: no column named 'p_spma' (did you mean 'p_spam'?); the columns are: p_spam, label; rename the column or fix the contract", e.Message);
    }

    [Fact]
    public void Csv_ScoreOutOfRangeOrText_IsRefusedWithItsLine()
    {
        var rules = new Dictionary<string, ColumnRule> { ["s"] = new(ColumnKind.Numeric, Required: true, Min: 0, Max: 1, Role: "score") };
        var options = new TableReadOptions { Source = "t.csv", Rules = rules };
        var range = Assert.Throws<DataException>(() => Csv("s\n0.5\n1.5\n", options));
        Assert.Equal("t.csv, line 3: 1.5 is out of range; the score (column 's') must be between 0 to 1", range.Message);
        var text = Assert.Throws<DataException>(() => Csv("s\n0.5\nhigh\n", options));
        Assert.Equal("t.csv, line 3: 'high' is not a number; the score (column 's') must be numeric", text.Message);
        var missing = Assert.Throws<DataException>(() => Csv("s,t\n0.5,a\n,b\n", new TableReadOptions { Source = "t.csv", Rules = rules, Columns = ["s"] }));
        Assert.Contains("line 3: the score (column 's') is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_EmptyOrHeaderOnly_SaysWhatIsMissing()
    {
        Assert.Contains("is empty", Assert.Throws<DataException>(() => Csv(string.Empty)).Message, StringComparison.Ordinal);
        Assert.Contains("has a header but no rows", Assert.Throws<DataException>(() => Csv("a,b\n")).Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", Assert.Throws<DataException>(() => Csv("a,a\n1,2\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLines_KeysVaryingByLine_FillMissingValues()
    {
        var table = Jsonl("{\"a\": 1, \"b\": \"x\"}\n{\"b\": \"y\", \"c\": true}\n\n{\"a\": 3.5, \"d\": {\"k\": [1]}}\n");
        Assert.Equal(3, table.RowCount);
        var a = (NumericColumn)table.Find("a")!;
        Assert.Equal(1, a.Values[0]);
        Assert.True(double.IsNaN(a.Values[1]));
        Assert.Equal(3.5, a.Values[2]);
        Assert.Equal("true", table.Find("c")!.Text(1));
        Assert.Null(table.Find("c")!.Text(0));
        Assert.Equal("{\"k\": [1]}", table.Find("d")!.Text(2));
    }

    [Fact]
    public void JsonLines_BrokenLine_NamesTheLine()
    {
        var e = Assert.Throws<DataException>(() => Jsonl("{\"a\": 1}\n{\"a\": \n"));
        Assert.StartsWith("t.jsonl, line 2: not valid JSON", e.Message, StringComparison.Ordinal);
        var notObject = Assert.Throws<DataException>(() => Jsonl("[1,2]\n"));
        Assert.StartsWith("t.jsonl, line 1: expected a JSON object", notObject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_NumbersStringsAndNulls_ReadBack()
    {
        var rows = Enumerable.Range(0, 2500).Select(i => new Row { Id = i, Score = i / 2500.0, Segment = i % 3 == 0 ? null : "s" + (i % 3), Flag = i % 2 == 0 }).ToList();
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 1000 });
        stream.Position = 0;
        var table = TableReader.Read(stream, DataFormat.Parquet, new TableReadOptions { Source = "t.parquet" });
        Assert.Equal(2500, table.RowCount);
        var score = Assert.IsType<NumericColumn>(table.Find("Score"));
        Assert.Equal(1234 / 2500.0, score.Values[1234]);
        var segment = Assert.IsType<CategoricalColumn>(table.Find("Segment"));
        Assert.Equal(834, segment.MissingCount);
        Assert.Equal("s1", segment.Text(1));
        Assert.Equal("true", table.Find("Flag")!.Text(0));
        Assert.Equal(2499.0, ((NumericColumn)table.Find("Id")!).Values[2499]);
    }

    [Fact]
    public void Parquet_NotParquet_IsAClearError()
    {
        var e = Assert.Throws<DataException>(() => TableReader.Read(new MemoryStream("a,b\n1,2\n"u8.ToArray()), DataFormat.Parquet, new TableReadOptions { Source = "x.parquet" }));
        Assert.StartsWith("x.parquet is not a readable Parquet file", e.Message, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public int Id { get; set; }

        public double Score { get; set; }

        public string? Segment { get; set; }

        public bool Flag { get; set; }
    }
}
