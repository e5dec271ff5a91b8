using Atelier.Services.Hosting;
using Atelier.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddAtelierServices();
builder.AddAtelierWeb();

var app = builder.Build();
app.UseAtelierWeb();
app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
