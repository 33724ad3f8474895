using System.Text.Json.Nodes;
using Builder.Guests;

namespace Builder.Reproducibility;

/// <summary>
/// What is in a finished image, read in its finish session and recorded with the cached finish
/// (so a cached finish still yields it): the installed packages and, when output.tree-digest asks
/// for it, the tree digest (null otherwise: it reads every file of the image).
/// </summary>
public sealed record ImageContents(PackageList Packages, string? TreeDigest)
{
    public static async Task<ImageContents> ReadAsync(IGuest guest, bool withTreeDigest, CancellationToken cancellationToken)
    {
        var packages = await InstalledPackages.ReadAsync(guest, cancellationToken);
        if (!withTreeDigest) return new ImageContents(packages, null);
        var tree = await guest.TreeAsync(cancellationToken);
        return new ImageContents(packages, Reproducibility.TreeDigest.Of(tree));
    }

    /// <summary>The manifest's fields: packages-from and packages (or packages-omitted), and tree-digest.</summary>
    public void AddTo(JsonObject json)
    {
        if (Packages.Packages is { } packages)
        {
            json["packages-from"] = Packages.From;
            json["packages"] = new JsonArray(packages.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["version"] = p.Version,
                ["arch"] = p.Arch,
            }).ToArray());
        }
        else json["packages-omitted"] = Packages.Omitted;
        json["tree-digest"] = TreeDigest;
    }

    /// <summary>As written by <see cref="AddTo"/>: the record kept with a cached finish. Null when it is not one.</summary>
    public static ImageContents? From(JsonObject json)
    {
        if (json["packages"] is null && json["packages-omitted"] is null) return null;
        var digest = json["tree-digest"]?.GetValue<string>();
        var packages = json["packages"] is JsonArray list
            ? new PackageList(json["packages-from"]?.GetValue<string>(), list.OfType<JsonObject>().Select(p => new InstalledPackage(
                p["name"]?.GetValue<string>() ?? "", p["version"]?.GetValue<string>() ?? "", p["arch"]?.GetValue<string>() ?? "")).ToList(), null)
            : PackageList.None(json["packages-omitted"]?.GetValue<string>() ?? "not recorded");
        return new ImageContents(packages, digest);
    }
}
