using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Persistence;

/// <summary>
/// The same model on PostgreSQL. A type of its own only because EF keeps one migration set per context type
/// (EF's documented pattern for several providers): its migrations live in <c>Migrations/Postgres</c>, SQLite's
/// in <c>Migrations</c>. Code outside persistence never names it; it asks for <c>IDbContextFactory&lt;ExperimentDb&gt;</c>.
/// </summary>
public sealed class PostgresExperimentDb(DbContextOptions<PostgresExperimentDb> options) : ExperimentDb(options);
