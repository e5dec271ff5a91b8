namespace Atelier.Services.Datasets;

/// <summary>
/// Locates the real public datasets (never copied into the repo): <c>$ATELIER_DATA</c> or the
/// <c>shared/data</c> folder beside the repository.
/// </summary>
public static class DataPaths
{
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("ATELIER_DATA");
            if (!string.IsNullOrWhiteSpace(env))
                return Directory.Exists(env) ? Path.GetFullPath(env) : null;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate)) return candidate;
            }
            var cwd = new DirectoryInfo(Directory.GetCurrentDirectory());
            for (var dir = cwd; dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate)) return candidate;
            }
            return null;
        }
    }

    /// <summary>Path of a dataset folder (e.g. <c>uci_online_retail</c>) or a clear exception when absent.</summary>
    public static string Require(string folder)
    {
        var root = Root ?? throw new DatasetMissingException(
            $"the shared datasets folder was not found (set ATELIER_DATA or place it at ../shared/data); '{folder}' is needed");
        var path = Path.Combine(root, folder);
        return Directory.Exists(path)
            ? path
            : throw new DatasetMissingException($"dataset folder '{path}' is missing");
    }

    public static bool TryGet(string folder, out string path)
    {
        path = Root is { } root ? Path.Combine(root, folder) : "";
        return path.Length > 0 && Directory.Exists(path);
    }

    /// <summary>Opens a text file, transparently decompressing <c>.gz</c>.</summary>
    public static StreamReader OpenText(string path)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
    }
}

public sealed class DatasetMissingException(string message) : Exception(message);
