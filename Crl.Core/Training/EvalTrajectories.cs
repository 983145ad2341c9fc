namespace Crl.Core.Training;

/// <summary>
/// One evaluation of a maze task seen from above: the walls, the start cell and where the first few eval episodes'
/// agents went. Positions are world metres; cell (row i, column j) is centred at x = i·s, y = j·s (environments.md §5.4).
/// </summary>
/// <param name="Env">The eval task's id.</param>
/// <param name="Maze">The layout's name (<c>u</c>, <c>big</c>, …).</param>
/// <param name="CellSize">s, metres per cell.</param>
/// <param name="Walls">The layout's rows, <c>#</c> for a wall cell and <c>.</c> for a free one.</param>
/// <param name="Paths">One per recorded episode, in eval-env order.</param>
public sealed record EvalTrajectories(
    string Env, string Maze, double CellSize, IReadOnlyList<string> Walls, int StartRow, int StartColumn, IReadOnlyList<EvalPath> Paths);

/// <summary>One eval episode's path.</summary>
/// <param name="GoalX">The commanded goal's world x.</param>
/// <param name="Success">Whether any step of the episode ended within the success radius (<c>eval/episode_success_any</c>).</param>
/// <param name="X">The agent's world x at each observation the actor acted on, from the reset until the episode ended
/// (the state after the last step is not observed: the env has already auto-reset it).</param>
public sealed record EvalPath(float GoalX, float GoalY, bool Success, float[] X, float[] Y);
