using System.Globalization;
using System.Text;
using Crl.Core.Environments.Mazes;

namespace Crl.Core.Environments.MuJoCo.Models;

/// <summary>
/// The static wall boxes of a maze (environments.md §5.4): cell (i, j) is centred at world (i·s, j·s); a wall cell is
/// a box s × s × s/2 standing on the floor, contype = conaffinity = 1. Runs of adjacent wall cells along a row are
/// emitted as one box — the same solid, fewer geoms, which §3 notes is where maze steps spend their extra time.
/// </summary>
public static class MazeWalls
{
    public static string Geoms(MazeLayout layout, double cellSize)
    {
        var xml = new StringBuilder();
        double half = cellSize / 2, halfHeight = cellSize / 4;
        for (int i = 0; i < layout.Rows; i++)
        {
            int j = 0;
            while (j < layout.Columns)
            {
                if (!layout.IsWall(i, j)) { j++; continue; }
                int first = j;
                while (j < layout.Columns && layout.IsWall(i, j)) j++;
                int last = j - 1;
                double cx = i * cellSize, cy = (first + last) / 2.0 * cellSize, halfY = (last - first + 1) * half;
                xml.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"""    <geom name="wall_{i}_{first}" type="box" pos="{cx} {cy} {halfHeight}" size="{half} {halfY} {halfHeight}" contype="1" conaffinity="1" rgba="0.7 0.5 0.3 1"/>"""));
            }
        }
        return xml.ToString();
    }

    /// <summary>World position of a cell centre.</summary>
    public static (double X, double Y) CellCentre((int Row, int Column) cell, double cellSize) => (cell.Row * cellSize, cell.Column * cellSize);
}
