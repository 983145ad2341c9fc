namespace Crl.Core.Environments.Mazes;

/// <summary>A maze's floor plan as the simulation builds it: the layout's walls and start cell, and the side of a cell.</summary>
/// <param name="CellSize">Metres per cell: 4 for PointMaze and the ant (environments.md §5.4), 2 for the humanoid (§5.2).</param>
public sealed record MazeGeometry(MazeLayout Layout, double CellSize);

/// <summary>
/// A task whose agent moves over the floor of a maze: PointMaze and the ant and humanoid mazes. In each of them the
/// agent's world x, y are <c>state[0]</c>, <c>state[1]</c> and the commanded goal's x, y are the goal's first two
/// entries (goal = state[0:2] or state[0:3], environments.md §1, §8), which is what lets an evaluation draw the
/// agent's path over the walls without knowing the task.
/// </summary>
public interface IMazeEnv
{
    /// <summary>Null when this instance of the task stands on open floor (plain <c>ant</c> and <c>humanoid</c>).</summary>
    MazeGeometry? Maze { get; }
}
