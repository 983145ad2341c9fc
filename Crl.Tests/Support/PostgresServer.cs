using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Crl.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster owned by this test process: <c>initdb</c> into a temporary directory, the server
/// on a free loopback port with its socket in that directory, durability switched off (the data dies with the test
/// run). Started on first use and stopped when the test process exits. The test runner gives an exiting test host
/// little time, so its directory (and, after a crash, the server) may outlive it: the next test process removes
/// clusters whose owner is gone. Each test creates its own database, so tests stay independent.
/// </summary>
public sealed class PostgresServer
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string DirectoryPrefix = "crl-postgres-";
    private const string OwnerFile = "owner.pid";

    // The server refuses to run as root; Debian's package creates this account.
    private const string ServiceAccount = "postgres";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => Task.Run(Start));

    private readonly string root;
    private readonly string bin;

    private PostgresServer(string root, string bin, int port)
    {
        this.root = root;
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = ServiceAccount, Database = database, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>The cluster of this test process, started on the first call.</summary>
    public static Task<PostgresServer> StartedAsync()
    {
        Lanes.RequireSlowLane("PostgreSQL");
        return Shared.Value;
    }

    /// <summary>A new empty database for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        if (name.Length > 63) name = name[^63..];
        await using var connection = new NpgsqlConnection(AdminConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return AdminConnectionString(name);
    }

    private static PostgresServer Start()
    {
        var bin = FindBinaries();
        StopAbandonedClusters(bin);

        var root = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString());
        if (Environment.IsPrivilegedProcess) Run("chown", [ServiceAccount, root]);
        var data = Path.Combine(root, "data");
        RunAsServiceAccount(Path.Combine(bin, "initdb"), ["-D", data, "-U", ServiceAccount, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        // A port free a moment ago can be taken before the server binds it; another one then.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var server = new PostgresServer(root, bin, port);
            try
            {
                RunAsServiceAccount(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", string.Join(' ',
                    "-c listen_addresses=127.0.0.1", $"-p {port}", $"-k {root}",
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                    // Every test database, web server, worker and training process keeps a small pool.
                    "-c max_connections=400",
                    // A backend whose client was killed with SIGKILL notices within a second even while it waits.
                    "-c client_connection_check_interval=1000"), "start"]);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            catch (InvalidOperationException e)
            {
                if (attempt < 3) continue;
                var log = Path.Combine(root, "server.log");
                throw new InvalidOperationException($"{e.Message}\nserver log:\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}", e);
            }
        }
    }

    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        StopCluster(bin, root);
    }

    private static void StopCluster(string bin, string root)
    {
        try
        {
            RunAsServiceAccount(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException) { /* never started, or already stopped */ }
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void StopAbandonedClusters(string bin)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = Path.Combine(dir, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && IsRunning(pid)) continue;
            StopCluster(bin, dir);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")) && File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .ToList()
            : [];
        if (versions.Count == 0)
            throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) were not found under {BinariesRoot}/*/bin: run scripts/setup.sh, which installs Debian's postgresql");
        return Path.Combine(versions[0], "bin");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunAsServiceAccount(string program, string[] arguments)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Run(program, arguments);
            return;
        }
        Run("runuser", ["-u", ServiceAccount, "--", program, .. arguments]);
    }

    private static void Run(string program, string[] arguments)
    {
        ProcessExit exit;
        // Callers retry or give up on InvalidOperationException, whichever way the tool failed.
        try { exit = ChildProcess.Run(program, arguments, TimeSpan.FromSeconds(90)); }
        catch (TimeoutException e) { throw new InvalidOperationException(e.Message, e); }
        var (exitCode, stdout, stderr) = exit;
        if (exitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {stderr}{stdout}");
    }
}
