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
        // One run's curve in step order. Live pages read "points after id N", a range of the primary key, so no
        // second index is needed: each one costs ingestion (the db benchmark), and AUTOINCREMENT keeps ids from being
        // reused after a resume deletes the newest points.
        point.HasIndex(p => new { p.RunId, p.Name, p.Step });
    }
}
