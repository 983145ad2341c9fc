using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPoint>
{
    public void Configure(EntityTypeBuilder<MetricPoint> point)
    {
        point.Property(p => p.Name).HasMaxLength(100);
        point.HasOne<Run>().WithMany(r => r.Metrics).HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
        // One run's curve in step order; live pages read "points of these runs after id N".
        point.HasIndex(p => new { p.RunId, p.Name, p.Step });
        point.HasIndex(p => new { p.RunId, p.Id });
    }
}
