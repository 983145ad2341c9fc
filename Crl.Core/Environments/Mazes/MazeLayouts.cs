namespace Crl.Core.Environments.Mazes;

/// <summary>The layouts of environments.md §5.4, copied cell by cell from its drawings.</summary>
public static class MazeLayouts
{
    public static readonly MazeLayout U = new("u",
        "#####",
        "#RGG#",
        "###G#",
        "#GGG#",
        "#####");

    public static readonly MazeLayout UEval = new("u_eval",
        "#####",
        "#R..#",
        "###.#",
        "#GGG#",
        "#####");

    public static readonly MazeLayout U4 = new("u4",
        "#####",
        "#GGG#",
        "#R#G#",
        "###G#",
        "#G#G#",
        "#GGG#",
        "#####");

    public static readonly MazeLayout U4Eval = new("u4_eval",
        "#####",
        "#...#",
        "#R#.#",
        "###.#",
        "#G#.#",
        "#GGG#",
        "#####");

    public static readonly MazeLayout U5 = new("u5",
        "########",
        "#GGGGGG#",
        "#R####G#",
        "######G#",
        "#G####G#",
        "#GGGGGG#",
        "########");

    public static readonly MazeLayout U5Eval = new("u5_eval",
        "########",
        "#......#",
        "#R####.#",
        "######.#",
        "#G####G#",
        "#GGGGGG#",
        "########");

    public static readonly MazeLayout Big = new("big",
        "########",
        "#RG##GG#",
        "#GG#GGG#",
        "##GGG###",
        "#GG#GGG#",
        "#G#GG#G#",
        "#GGG#GG#",
        "########");

    /// <summary>scaling-crl's ant <c>BIG_EVAL</c> (JaxGCRL's also has a goal at (2,5); environments.md §5.4).</summary>
    public static readonly MazeLayout BigEval = new("big_eval",
        "########",
        "#R.##GG#",
        "#..#..G#",
        "##...###",
        "#..#...#",
        "#.#G.#G#",
        "#.GG#GG#",
        "########");

    public static readonly MazeLayout Hardest = new("hardest",
        "############",
        "#RGGG#GGGGG#",
        "#G##G#G#G#G#",
        "#GGGGGG#GGG#",
        "#G####G###G#",
        "#GG#G#GGGGG#",
        "##G#G#G#G###",
        "#GG#GGG#GGG#",
        "############");
}
