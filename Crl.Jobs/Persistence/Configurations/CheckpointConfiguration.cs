using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class CheckpointConfiguration : IEntityTypeConfiguration<Checkpoint>
{
    public void Configure(EntityTypeBuilder<Checkpoint> checkpoint)
    {
        checkpoint.Property(c => c.RelativePath).HasMaxLength(400);
        checkpoint.Property(c => c.Sha256).HasMaxLength(64);
        checkpoint.HasOne<Run>().WithMany(r => r.Checkpoints).HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        checkpoint.HasIndex(c => new { c.RunId, c.EnvSteps });
    }
}
