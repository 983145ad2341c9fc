using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Persistence;

/// <summary>The results database: sweeps, runs and their metrics. On SQLite this type itself; on PostgreSQL <see cref="PostgresExperimentDb"/>.</summary>
public class ExperimentDb : DbContext
{
    public ExperimentDb(DbContextOptions<ExperimentDb> options) : base(options) { }

    /// <summary>For a provider's own context type, which carries that provider's migrations.</summary>
    protected ExperimentDb(DbContextOptions options) : base(options) { }

    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ExperimentDb).Assembly);
}
