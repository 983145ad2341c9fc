using System.Text;

namespace Crl.Jobs.Runs;

/// <summary>
/// <c>runs/&lt;id&gt;/train.log</c>: what a run's training processes wrote on standard output and error, attempt
/// after attempt, each attempt opened and closed by a marker line. The worker holding the run's lease is its only
/// writer. The file never grows past <c>Crl:Workers:TrainLogMaxBytes</c>: when a line would cross that cap, the
/// older half is dropped (one marker line says how much), so the newest lines, where a failure shows, always stay.
/// </summary>
public sealed class TrainLog : IDisposable
{
    /// <summary>Lines the worker writes itself (attempt start and end, dropped bytes) start with this.</summary>
    public const string MarkerPrefix = "=== ";

    private const int MaxLineChars = 8 * 1024;

    private readonly string path;
    private readonly long maxBytes;
    private readonly Lock gate = new();
    private FileStream? file;

    public TrainLog(string path, long maxBytes)
    {
        this.path = path;
        this.maxBytes = maxBytes;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        file = Open();
    }

    /// <summary>A line of the worker's own, such as "attempt 2 on gpu-3".</summary>
    public void Mark(string text) => Append($"{MarkerPrefix}{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z {text} ===");

    /// <summary>One line of the training process's output; safe from its output and error readers at once.</summary>
    public void Append(string line)
    {
        // A runaway line (a tensor printed whole) is cut, so one line can never take the whole cap.
        if (line.Length > MaxLineChars) line = line[..MaxLineChars] + " …";
        var bytes = Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n");
        lock (gate)
        {
            // The process's readers may deliver a last line after the attempt ended and the file was closed.
            if (file is null) return;
            if (file.Length + bytes.Length > maxBytes) DropOlderHalf();
            file.Write(bytes);
            file.Flush();
        }
    }

    private void DropOlderHalf()
    {
        file!.Dispose();
        var kept = ReadLastBytes(path, maxBytes / 2);
        // Start at a line: the cut may fall inside one.
        var firstLine = Array.IndexOf(kept.Bytes, (byte)'\n') + 1;
        var dropped = kept.Start + firstLine;
        var temporary = path + ".tmp";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            rewrite.Write(Encoding.UTF8.GetBytes($"{MarkerPrefix}{dropped:N0} earlier bytes dropped: the log is capped at {maxBytes:N0} bytes (Crl:Workers:TrainLogMaxBytes) ===\n"));
            rewrite.Write(kept.Bytes.AsSpan(firstLine));
        }
        File.Move(temporary, path, overwrite: true);
        file = Open();
    }

    private FileStream Open() => new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    public void Dispose()
    {
        lock (gate)
        {
            file?.Dispose();
            file = null;
        }
    }

    /// <summary>
    /// The last <paramref name="lines"/> complete lines of a log and the offset just after them, where a reader
    /// following the log continues (<see cref="ReadAfter"/>). No file yet reads as no lines.
    /// </summary>
    public static LogChunk ReadTail(string path, int lines)
    {
        if (!File.Exists(path)) return LogChunk.Empty;
        using var stream = OpenRead(path);
        var end = CompleteEnd(stream);
        // Read backwards a block at a time until enough line ends are in hand.
        long start = end;
        var block = 64 * 1024;
        while (start > 0)
        {
            start = Math.Max(0, start - block);
            stream.Position = start;
            var buffer = new byte[end - start];
            stream.ReadExactly(buffer);
            if (buffer.Count(b => b == (byte)'\n') > lines) break;
            block *= 2;
        }
        stream.Position = start;
        var text = new byte[end - start];
        stream.ReadExactly(text);
        var all = Split(text);
        // The first line may be cut, unless the read began at the start of the file.
        if (start > 0 && all.Count > 0) all.RemoveAt(0);
        return new LogChunk(all.Count > lines ? all[^lines..] : all, end, Reset: false);
    }

    /// <summary>
    /// Complete lines written after <paramref name="offset"/>. A log shorter than the offset had its older half
    /// dropped: then the answer is its tail, marked <see cref="LogChunk.Reset"/>, for the reader to start over.
    /// </summary>
    public static LogChunk ReadAfter(string path, long offset, int resetLines)
    {
        if (!File.Exists(path)) return offset > 0 ? LogChunk.Empty with { Reset = true } : LogChunk.Empty;
        using var stream = OpenRead(path);
        if (stream.Length < offset) return ReadTail(path, resetLines) with { Reset = true };
        var end = CompleteEnd(stream);
        if (end <= offset) return new LogChunk([], offset, Reset: false);
        stream.Position = offset;
        var buffer = new byte[end - offset];
        stream.ReadExactly(buffer);
        return new LogChunk(Split(buffer), end, Reset: false);
    }

    /// <summary>
    /// Where a failed attempt's error is: the index of the last "run failed:" line the training process wrote, or,
    /// when it died without one (a native crash, a kill), of the last line before the worker's closing marker.
    /// </summary>
    public static int? ErrorLine(IReadOnlyList<string> lines)
    {
        for (int i = lines.Count - 1; i >= 0; i--)
            if (lines[i].StartsWith(RunJob.ErrorPrefix, StringComparison.Ordinal)) return i;
        for (int i = lines.Count - 1; i >= 0; i--)
            if (!lines[i].StartsWith(MarkerPrefix, StringComparison.Ordinal)) return i;
        return null;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);

    /// <summary>The offset just after the last line end: a line still being written is left for the next read.</summary>
    private static long CompleteEnd(FileStream stream)
    {
        var length = stream.Length;
        var block = new byte[Math.Min(length, 64 * 1024)];
        for (long at = length; at > 0;)
        {
            var start = Math.Max(0, at - block.Length);
            stream.Position = start;
            var span = block.AsSpan(0, (int)(at - start));
            stream.ReadExactly(span);
            var last = span.LastIndexOf((byte)'\n');
            if (last >= 0) return start + last + 1;
            at = start;
        }
        return 0;
    }

    private static List<string> Split(byte[] text)
    {
        var lines = Encoding.UTF8.GetString(text).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static (long Start, byte[] Bytes) ReadLastBytes(string path, long count)
    {
        using var stream = OpenRead(path);
        var start = Math.Max(0, stream.Length - count);
        stream.Position = start;
        var bytes = new byte[stream.Length - start];
        stream.ReadExactly(bytes);
        return (start, bytes);
    }
}

/// <summary>Lines read from a train.log, the offset after them, and whether the reader must start over (the log was cut).</summary>
public sealed record LogChunk(IReadOnlyList<string> Lines, long End, bool Reset)
{
    public static readonly LogChunk Empty = new([], 0, false);
}
