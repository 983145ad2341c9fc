using Crl.Jobs.Runs;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>runs/&lt;id&gt;/train.log on a real file: capped, read from its end, followed from an offset.</summary>
public sealed class TrainLogTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private string LogPath => temp.Combine("runs", "7", "train.log");

    [Fact]
    public void A_follower_gets_complete_lines_only_and_each_line_once()
    {
        using var log = new TrainLog(LogPath, 1 << 20);
        log.Mark("attempt 1 of run 7 on worker worker-a");
        log.Append("epoch 1/3: env steps 1000");
        var opened = TrainLog.ReadTail(LogPath, 500);
        Assert.Equal(2, opened.Lines.Count);
        Assert.Matches(@"^=== \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ attempt 1 of run 7 on worker worker-a ===$", opened.Lines[0]);

        log.Append("epoch 2/3: env steps 2000");
        // A line still being written (no line end yet) waits for the next read.
        File.AppendAllText(LogPath, "epoch 3/3: half");
        var next = TrainLog.ReadAfter(LogPath, opened.End, 500);
        Assert.Equal(["epoch 2/3: env steps 2000"], next.Lines);
        File.AppendAllText(LogPath, " written\n");
        Assert.Equal(["epoch 3/3: half written"], TrainLog.ReadAfter(LogPath, next.End, 500).Lines);
        Assert.Empty(TrainLog.ReadAfter(LogPath, TrainLog.ReadTail(LogPath, 1).End, 500).Lines);
    }

    [Fact]
    public void The_log_never_passes_its_cap_and_keeps_its_newest_lines_where_a_failure_shows()
    {
        const long cap = 64 * 1024;
        using (var log = new TrainLog(LogPath, cap))
        {
            for (int i = 0; i < 5000; i++) log.Append($"line {i:D5} " + new string('x', 40));
            log.Append(RunJob.ErrorPrefix + "losses became NaN");
            Assert.InRange(new FileInfo(LogPath).Length, cap / 2, cap);
        }
        var tail = TrainLog.ReadTail(LogPath, 100_000);
        Assert.Matches(@"^=== [\d,]+ earlier bytes dropped: the log is capped at 65,536 bytes \(Crl:Workers:TrainLogMaxBytes\) ===$", tail.Lines[0]);
        Assert.StartsWith("line ", tail.Lines[1]);                               // whole lines only after the cut
        Assert.StartsWith("line 04999 ", tail.Lines[^2]);
        Assert.Equal(tail.Lines.Count - 1, TrainLog.ErrorLine(tail.Lines));

        // A follower whose offset lies past the cut starts over from the tail.
        var follower = TrainLog.ReadAfter(LogPath, cap + 10, 3);
        Assert.True(follower.Reset);
        Assert.Equal(3, follower.Lines.Count);
    }

    [Fact]
    public void The_tail_reads_back_from_the_end_across_blocks()
    {
        using (var log = new TrainLog(LogPath, 16 << 20))
            for (int i = 0; i < 20_000; i++) log.Append($"step {i}");
        var tail = TrainLog.ReadTail(LogPath, 3);
        Assert.Equal(["step 19997", "step 19998", "step 19999"], tail.Lines);
        Assert.Equal(new FileInfo(LogPath).Length, tail.End);
        Assert.Equal(20_000, TrainLog.ReadTail(LogPath, 100_000).Lines.Count);
        Assert.Empty(TrainLog.ReadTail(temp.Combine("none.log"), 10).Lines);
    }

    [Fact]
    public void A_crash_without_an_error_line_points_at_the_last_line_the_process_wrote()
    {
        string[] lines = ["=== attempt 1 ===", "info: epoch 1/3", "Fatal error. SIGSEGV", "=== attempt 1 ended Failed (exit code 139) ==="];
        Assert.Equal(2, TrainLog.ErrorLine(lines));
        Assert.Equal(1, TrainLog.ErrorLine(["=== a ===", RunJob.ErrorPrefix + "x", "later", "=== b ==="]));
    }

    public void Dispose() => temp.Dispose();
}
