using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crl.Jobs.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting a host.</summary>
public sealed class DesignTimeExperimentDbFactory : IDesignTimeDbContextFactory<ExperimentDb>
{
    public ExperimentDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ExperimentDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// The same for PostgreSQL (<c>--context PostgresExperimentDb</c>). Adding a migration never connects, so the
/// connection string only has to parse.
/// </summary>
public sealed class DesignTimePostgresExperimentDbFactory : IDesignTimeDbContextFactory<PostgresExperimentDb>
{
    public PostgresExperimentDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresExperimentDb>().UseNpgsql("Host=localhost;Database=crl_design_time").Options);
}
