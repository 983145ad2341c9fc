namespace Crl.Core.Environments.MuJoCo.Models;

/// <summary>
/// The <c>&lt;size&gt;</c> element every model here carries. Left to itself MuJoCo 2.2.2 sizes each mjData for
/// 1000 constraint rows (a 1000² dense matrix plus a 1.3 M-entry stack): ~14 MB per environment, 7 GB for the
/// paper's 512 environments, and seconds to create 256 of them. Measured peaks under random full-range actions
/// (32 slots × 400 steps): at most 23 contacts, 95 constraint rows and 7,665 stack entries (bin-pick); the limits
/// below leave 3–20× headroom at about 2.5 MB per environment. Running out of rows or contacts only drops
/// constraints with a MuJoCo warning (logged); running out of stack would abort, hence the widest margin there.
/// </summary>
public static class MujocoSizes
{
    public const int MaxContacts = 100, MaxConstraintRows = 300, StackEntries = 150_000;

    public static readonly string Element = $"""<size njmax="{MaxConstraintRows}" nconmax="{MaxContacts}" nstack="{StackEntries}"/>""";
}
