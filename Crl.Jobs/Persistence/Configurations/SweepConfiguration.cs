using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class SweepConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> sweep)
    {
        sweep.Property(s => s.Name).HasMaxLength(200);
        sweep.HasIndex(s => s.CreatedAt);
        sweep.HasIndex(s => s.OwnerId);
    }
}
