using Crl.Jobs.Persistence.Model;

namespace Crl.Jobs.Configuration;

/// <summary>The <c>Crl</c> section of appsettings.json, shared by the web server and standalone workers.</summary>
public sealed class CrlOptions
{
    public const string Section = "Crl";

    /// <summary>Where the databases, checkpoints and run files live. Relative paths resolve against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();
    public HangfireOptions Hangfire { get; set; } = new();
    public WorkerOptions Workers { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public AnalysisOptions Analysis { get; set; } = new();
    public LimitOptions Limits { get; set; } = new();
    public HttpOptions Http { get; set; } = new();
}

/// <summary><c>Crl:Database</c>: the results database (runs, sweeps, metrics, checkpoints).</summary>
public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite", Postgres = "Postgres";
    public static readonly IReadOnlyList<string> Providers = [Sqlite, Postgres];

    /// <summary>
    /// <c>Sqlite</c>: files in the data directory, one machine. <c>Postgres</c>: one PostgreSQL database for the
    /// results and Hangfire's queue, so workers on several machines can share them.
    /// </summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite: empty means <c>Data Source={DataDirectory}/crl.db</c>. PostgreSQL: required (Npgsql syntax).</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>Crl:Hangfire</c>: the job queue's storage.</summary>
public sealed class HangfireOptions
{
    /// <summary>The schema Hangfire's tables live in when they share the PostgreSQL database with the results.</summary>
    public const string PostgresSchema = "hangfire";

    /// <summary>
    /// PostgreSQL only: a separate database for Hangfire's queue; empty means the results database
    /// (<c>Crl:Database:ConnectionString</c>), in the <c>hangfire</c> schema. SQLite keeps its queue in
    /// <c>{DataDirectory}/hangfire.db</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Hangfire's SQLite default is 15 s; a queued run should start within about a second.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Empty means the provider's default (<see cref="InvisibilityTimeoutFor"/>). Hangfire.Storage.SQLite has no
    /// keep-alive: a job running longer than this is fetched again by another worker, so on SQLite it must exceed
    /// the longest training run (the Run row's lease guards against double starts). Hangfire.PostgreSql renews it
    /// while the job runs (sliding), so there it only says how soon a dead worker's job is fetched again.
    /// </summary>
    public TimeSpan? InvisibilityTimeout { get; set; }

    public static readonly TimeSpan SqliteInvisibilityTimeout = TimeSpan.FromDays(2), PostgresInvisibilityTimeout = TimeSpan.FromMinutes(5);

    public TimeSpan InvisibilityTimeoutFor(DatabaseOptions database) =>
        InvisibilityTimeout ?? (database.IsPostgres ? PostgresInvisibilityTimeout : SqliteInvisibilityTimeout);
}

/// <summary><c>Crl:Workers</c>: the Hangfire server that runs training jobs.</summary>
public sealed class WorkerOptions
{
    /// <summary>Run a worker inside the web server process (the single-machine default).</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>Concurrent training runs per worker (one per GPU; one on CPU, where a run uses every core).</summary>
    public int Slots { get; set; } = 1;

    /// <summary>Shown on the Workers page and on each run; empty means machine name and process id.</summary>
    public string? Name { get; set; }

    /// <summary>How often a worker renews the lease of each run it trains.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A run whose worker has not renewed its lease for this long is given to another worker, which resumes it.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After a stop request, how long the trainer gets to stop before its process is killed.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The most a run's <c>train.log</c> holds; past it the older half is dropped.</summary>
    public long TrainLogMaxBytes { get; set; } = DefaultTrainLogMaxBytes;

    public const long DefaultTrainLogMaxBytes = 16L << 20, MinTrainLogMaxBytes = 64L << 10, MaxTrainLogMaxBytes = 1L << 30;
}

/// <summary><c>Crl:Training</c>: defaults for how runs use the machine.</summary>
public sealed class TrainingOptions
{
    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Threads libtorch uses per run; 0 means one per core.</summary>
    public int Threads { get; set; }
}

/// <summary><c>Crl:Auth</c>: who may use the dashboard, the API and the job queue.</summary>
public sealed class AuthOptions
{
    public const int MinPasswordLength = 8;
    public const int MinApiTokenLength = 16;

    /// <summary>The first administrator, created at start-up when no user exists.</summary>
    public string AdminUser { get; set; } = "admin";

    /// <summary>
    /// The first administrator's password; when empty, a random one is generated once and written to
    /// <c>&lt;DataDirectory&gt;/initial-admin-password</c>. Setting it later resets that user's password at the next start.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>A token scripts send as <c>Authorization: Bearer &lt;token&gt;</c>; empty disables it.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The role <see cref="ApiToken"/> acts with: admin, member or viewer (empty: member).</summary>
    public string? ApiTokenRole { get; set; } = "member";

    public UserRole ApiTokenRoleOrDefault => UserRoles.TryParse(ApiTokenRole, out var role) ? role : UserRole.Member;

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a locked account refuses every password, the right one included.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client address may make per <see cref="SignInWindow"/>; more are answered 429.</summary>
    public int SignInAttempts { get; set; } = 10;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>Crl:Analysis</c>: defaults of the dashboard's statistics. The bootstrap is seeded so a figure read today is the
/// figure a colleague reads tomorrow; a request may ask for other resamples or another seed.
/// </summary>
public sealed class AnalysisOptions
{
    public const int MinResamples = 100, MaxResamples = 50_000;

    /// <summary>Stratified bootstrap resamples behind every aggregate interval (rliable's default is 2,000 as well).</summary>
    public int BootstrapResamples { get; set; } = 2000;

    /// <summary>The bootstrap's random seed.</summary>
    public ulong BootstrapSeed { get; set; }

    /// <summary>
    /// How much the mean final time at goal (steps at the goal out of the episode) must rise over the previous depth,
    /// beyond non-overlapping intervals, to count as a critical depth. 50 is 5 % of a 1,000-step episode, well
    /// below the paper's jumps (61 → 320 on Ant Big Maze at depth 8).
    /// </summary>
    public double CriticalDepthThreshold { get; set; } = 50;
}

/// <summary>
/// <c>Crl:Limits</c>: the most one sweep, one run and one person may ask of this server. The defaults admit every run
/// the paper made (depth 1024 at width 256 and width 4096 at depth 4, ≈ 68M parameters per network; batch 2048;
/// 400M env steps, ≈ 3·10¹⁹ FLOPs at most) and refuse what no single GPU could hold or finish: a depth-1024,
/// width-8192 network has 69 billion parameters, over a terabyte with Adam's state. Only configuration raises them.
/// </summary>
public sealed class LimitOptions
{
    /// <summary>Parameters of the largest of a run's three networks (actor, φ(s,a), ψ(g)).</summary>
    public long MaxParametersPerNetwork { get; set; } = 1_000_000_000;

    /// <summary>Matrix-product FLOPs of one run, as <c>TrainingCost</c> counts them.</summary>
    public double MaxFlopsPerRun { get; set; } = 1e20;

    /// <summary>Matrix-product FLOPs of all of a sweep's runs together.</summary>
    public double MaxFlopsPerSweep { get; set; } = 1e21;

    public long MaxEnvStepsPerRun { get; set; } = 1_000_000_000;

    /// <summary>At most the planner's own ceiling (<c>SweepRequestValidator.MaxRuns</c>), which bounds what it expands in memory.</summary>
    public int MaxRunsPerSweep { get; set; } = 1_000;

    /// <summary>Queued and running runs of one user, this launch's included.</summary>
    public int MaxActiveRunsPerUser { get; set; } = 2_000;
}

/// <summary><c>Crl:Http</c>: what the web server accepts from clients.</summary>
public sealed class HttpOptions
{
    /// <summary>The largest request body; a sweep's JSON is a few kilobytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
