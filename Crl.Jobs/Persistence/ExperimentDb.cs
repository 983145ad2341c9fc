using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Persistence;

/// <summary>The results database: sweeps, runs and their metrics.</summary>
public sealed class ExperimentDb(DbContextOptions<ExperimentDb> options) : DbContext(options)
{
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ExperimentDb).Assembly);
}
