using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> run)
    {
        run.Property(r => r.Env).HasMaxLength(64);
        run.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        run.Property(r => r.LeaseOwner).HasMaxLength(200);
        run.Property(r => r.CodeVersion).HasMaxLength(100);
        run.HasOne(r => r.Sweep).WithMany(s => s.Runs).HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.Cascade);
        // Live pages ask "changed since"; the supervisor asks "running with a stale heartbeat"; sweep pages list by sweep.
        run.HasIndex(r => r.UpdatedAt);
        run.HasIndex(r => new { r.State, r.HeartbeatAt });
        run.HasIndex(r => new { r.SweepId, r.State });
        run.HasIndex(r => new { r.Env, r.ActorDepth });
    }
}
