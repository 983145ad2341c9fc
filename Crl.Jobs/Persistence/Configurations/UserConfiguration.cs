using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crl.Jobs.Persistence.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.Name).HasMaxLength(64);
        user.HasIndex(u => u.Name).IsUnique();
        // Stored by name, so the table reads the way people and the CLI say it.
        user.Property(u => u.Role).HasMaxLength(16).HasConversion(r => r.Name(), s => Enum.Parse<UserRole>(s, true));
        user.Property(u => u.SecurityStamp).HasMaxLength(64);
    }
}
