using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crl.Jobs.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a host.</summary>
public sealed class DesignTimeExperimentDbFactory : IDesignTimeDbContextFactory<ExperimentDb>
{
    public ExperimentDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ExperimentDb>().UseSqlite("Data Source=design-time.db").Options);
}
