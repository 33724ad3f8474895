using System.Globalization;
using Builder.Processes;

namespace Builder.Reproducibility;

/// <summary>When git last committed a file: `git log -1 --format=%ct -- FILE`, run in the file's folder.</summary>
public static class GitCommitTime
{
    /// <summary>The committer time of the last commit that touched the file, in seconds since 1970; null outside a git work tree, for a file no commit touched, or without git.</summary>
    public static async Task<long?> OfAsync(string file, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(folder) || !InWorkTree(folder)) return null;
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("git", ["-C", folder, "log", "-1", "--format=%ct", "--", Path.GetFileName(file)], cancellationToken);
        }
        catch (ProgramNotFoundException)
        {
            return null;
        }
        var text = result.StandardOutput.Trim();
        return result.ExitCode == 0 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }

    /// <summary>Whether git could find a repository from the folder (a .git folder or file above it, or GIT_DIR): no process for a recipe outside one.</summary>
    private static bool InWorkTree(string folder)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_DIR"))) return true;
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
            if (Path.Exists(Path.Combine(current.FullName, ".git"))) return true;
        return false;
    }
}
