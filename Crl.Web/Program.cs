using Crl.Jobs.Hosting;
using Crl.Web.Hosting;

return await StartupFailure.GuardAsync(async () =>
{
    var app = CrlWebApplication.Build(args);
    await app.RunAsync();
});
