using System.Text.Json;
using System.Text.Json.Serialization;

namespace Builder.Guestfs.Accelerators;

/// <summary>What a probe result depends on: a different kernel, qemu or /dev/kvm means probing again.</summary>
internal sealed record ProbeKey(
    string KernelRelease, string Qemu, long QemuSize, string QemuModified, bool KvmDevice, string ProbeKernel);

/// <summary>One probe's answer, as stored in accel-probe.json.</summary>
internal sealed record ProbeCacheEntry(ProbeKey Key, bool KvmUsable, string Detail);

[JsonSerializable(typeof(ProbeCacheEntry))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ProbeCacheJson : JsonSerializerContext;

/// <summary>Reads and writes the probe cache file; a missing, unreadable or stale file is simply a miss.</summary>
internal static class AcceleratorProbeCache
{
    public static ProbeCacheEntry? Read(string file, ProbeKey key)
    {
        try
        {
            if (!File.Exists(file)) return null;
            var entry = JsonSerializer.Deserialize(File.ReadAllText(file), ProbeCacheJson.Default.ProbeCacheEntry);
            return entry?.Key == key ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Atomic replace; a store that cannot be written only costs a probe next time.</summary>
    public static void Write(string file, ProbeCacheEntry entry)
    {
        var temporary = $"{file}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(temporary, JsonSerializer.Serialize(entry, ProbeCacheJson.Default.ProbeCacheEntry));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
