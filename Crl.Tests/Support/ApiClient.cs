using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crl.Jobs.Persistence.Model;

namespace Crl.Tests.Support;

/// <summary>What a script does: HTTP with the API token, JSON in and out.</summary>
public sealed class ApiClient(RunningDashboard dashboard) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Http
    {
        get
        {
            http.DefaultRequestHeaders.Authorization ??= new AuthenticationHeaderValue("Bearer", RunningDashboard.ApiToken);
            return http;
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string path, object? body = null)
    {
        var response = await Http.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> RunAsync(long id) => await GetJsonAsync($"/api/runs/{id}");

    /// <summary>Polls a run until <paramref name="done"/> holds.</summary>
    public Task<JsonElement> WaitForRunAsync(long id, Func<JsonElement, bool> done, string what, int seconds = 180) =>
        Eventually.ReturnsAsync(() => RunAsync(id), done, TimeSpan.FromSeconds(seconds), $"run {id}: {what}");

    public static RunState State(JsonElement run) => Enum.Parse<RunState>(run.GetProperty("state").GetString()!);

    public void Dispose() => http.Dispose();
}
