using Crl.Core.Networks;
using Crl.Core.Training;
using Crl.Jobs.Sweeps;
using Crl.Web.Components.Sweeps;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The launch form's ablation switches: every declared switch has a field, and what is picked reaches each run.</summary>
public class SweepFormSwitchTests
{
    [Fact]
    public void Every_declared_switch_has_a_field_and_empty_fields_keep_the_papers_settings()
    {
        Assert.Equal(
            ["representationDim", "activation", "residual", "useAllBatches", "evalActionSelection", "collectActionSelection", "entropy"],
            SweepForm.Switches.Select(k => k.ApiName));
        Assert.Equal(["Swish", "Relu"], SweepForm.SwitchChoices(CrlKnobs.Get(nameof(CrlConfig.Activation))));
        Assert.Null(SweepForm.SwitchChoices(CrlKnobs.Get(nameof(CrlConfig.EvalActionSelection)))); // typed: argmax-q:K

        var (request, errors) = new SweepForm { Name = "paper" }.ToRequest();
        Assert.Empty(errors);
        var run = SweepPlanner.Plan(request!).Runs[0].Config;
        Assert.Equal((64, Activation.Swish, true, true, false, "policy", "policy"),
            (run.RepresentationDim, run.Activation, run.Residual, run.Entropy, run.UseAllBatches, run.EvalActionSelection, run.CollectActionSelection));
    }

    [Fact]
    public void Picked_switches_reach_every_run_and_a_clone_keeps_them()
    {
        var form = new SweepForm { Name = "ablation" };
        form.SwitchSettings["activation"] = "Relu";
        form.SwitchSettings["residual"] = "false";
        form.SwitchSettings["entropy"] = "off";
        form.SwitchSettings["representationDim"] = "32";
        form.SwitchSettings["evalActionSelection"] = "argmax-q:16";

        var (request, errors) = form.ToRequest();
        Assert.Empty(errors);
        var plan = SweepPlanner.Plan(request!);
        Assert.All(plan.Runs, r => Assert.Equal((32, Activation.Relu, false, false, "argmax-q:16"),
            (r.Config.RepresentationDim, r.Config.Activation, r.Config.Residual, r.Config.Entropy, r.Config.EvalActionSelection)));
        Assert.All(plan.Runs, r => Assert.Equal(SweepPlanner.SizesOf(r.Config with { RepresentationDim = 64 }).Actor, r.Sizes.Actor));

        var clone = SweepForm.From(request!);
        Assert.Equal(("Relu", "false", "false", "32", "argmax-q:16", null),
            (clone.SwitchSettings["activation"], clone.SwitchSettings["residual"], clone.SwitchSettings["entropy"],
             clone.SwitchSettings["representationDim"], clone.SwitchSettings["evalActionSelection"], clone.SwitchSettings["useAllBatches"]));
        Assert.Empty(clone.OtherSettings);
    }

    [Fact]
    public void A_bad_switch_is_named_with_what_it_must_be()
    {
        var form = new SweepForm { Name = "bad" };
        form.SwitchSettings["residual"] = "maybe";
        form.SwitchSettings["collectActionSelection"] = "argmax-q:0";

        var (request, errors) = form.ToRequest();

        Assert.Null(request);
        Assert.Equal("--residual: cannot read 'maybe' as boolean; it must be true or false", Assert.Single(errors["residual"]));
        form.SwitchSettings["residual"] = null;
        var rejected = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(form.ToRequest().Request!));
        Assert.Contains("CollectActionSelection (--collect-action-selection) must be policy, or argmax-q:K with K in [1, 1024]",
            Assert.Single(rejected.Errors["collectActionSelection"]));
    }
}
