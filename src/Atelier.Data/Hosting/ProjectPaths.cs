namespace Atelier.Data.Hosting;

/// <summary>The repository root (<c>$ATELIER_HOME</c>, else the nearest folder up holding Atelier.slnx) and its <c>.atelier</c> state folder.</summary>
public static class ProjectPaths
{
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("ATELIER_HOME");
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "Atelier.slnx"))) return dir.FullName;
            }
            return Directory.GetCurrentDirectory();
        }
    }

    public static string StateDir => Path.Combine(Root, ".atelier");
}
