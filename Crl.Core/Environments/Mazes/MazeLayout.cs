namespace Crl.Core.Environments.Mazes;

/// <summary>
/// A maze grid as drawn in environments.md §5.4: <c>#</c> wall, <c>R</c> start, <c>G</c> goal cell, <c>.</c> free.
/// Cell (row i, column j) has its centre at world (x = i·s, y = j·s): rows run along +x.
/// </summary>
public sealed class MazeLayout
{
    private readonly bool[] walls;

    public MazeLayout(string name, params string[] rows)
    {
        if (rows.Length == 0 || rows.Any(r => r.Length != rows[0].Length))
            throw new ArgumentException($"maze '{name}' must be a non-empty rectangle", nameof(rows));
        Name = name;
        Rows = rows.Length;
        Columns = rows[0].Length;
        walls = new bool[Rows * Columns];
        var goals = new List<(int, int)>();
        (int, int)? start = null;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
            {
                switch (rows[i][j])
                {
                    case '#': walls[i * Columns + j] = true; break;
                    case 'R': start = (i, j); break;
                    case 'G': goals.Add((i, j)); break;
                    case '.': break;
                    default: throw new ArgumentException($"maze '{name}' has an unknown cell '{rows[i][j]}'", nameof(rows));
                }
            }
        Start = start ?? throw new ArgumentException($"maze '{name}' has no start cell R", nameof(rows));
        if (goals.Count == 0) throw new ArgumentException($"maze '{name}' has no goal cell G", nameof(rows));
        GoalCells = goals;
        Drawing = rows;
    }

    public string Name { get; }
    public int Rows { get; }
    public int Columns { get; }
    public (int Row, int Column) Start { get; }
    public IReadOnlyList<(int Row, int Column)> GoalCells { get; }
    public IReadOnlyList<string> Drawing { get; }

    /// <summary>Cells outside the grid count as walls, so nothing can leave the maze.</summary>
    public bool IsWall(int row, int column) =>
        (uint)row >= (uint)Rows || (uint)column >= (uint)Columns || walls[row * Columns + column];
}
