using System.CommandLine;
using Crl.Core.Training;

namespace Crl.Jobs.Cli;

/// <summary><c>knobs</c>: every run knob with its flag, default, allowed values and unit, as declared in CrlConfig.</summary>
public static class KnobsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print README's \"Run knobs\" table" };
        var command = new Command("knobs", "List the run knobs: flag, default, allowed values, unit and meaning") { markdown };
        command.SetAction(parse =>
        {
            if (parse.GetValue(markdown))
            {
                Console.Write(CrlKnobs.MarkdownTable());
                return 0;
            }
            foreach (var knob in CrlKnobs.All)
                Console.WriteLine($"{knob.Flag,-38} {ConfigOptions.HelpOf(knob)}");
            return 0;
        });
        return command;
    }
}
