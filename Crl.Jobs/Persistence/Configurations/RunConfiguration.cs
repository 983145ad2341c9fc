using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> run)
    {
        run.Property(r => r.Kind).HasMaxLength(64);
        run.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        run.Property(r => r.WorkerName).HasMaxLength(200);
        run.HasOne(r => r.Sweep).WithMany(s => s.Runs).HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.Cascade);
        run.HasIndex(r => r.UpdatedAt);
        run.HasIndex(r => new { r.SweepId, r.State });
    }
}
