namespace Builder.Tests.Support;

/// <summary>Small guest trees for step tests.</summary>
public static class GuestTrees
{
    public static RecordingGuest Debian() => new RecordingGuest()
        .WithFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n")
        .WithFile("/etc/group", "root:x:0:\nalice:x:1000:\nwww-data:x:33:\n")
        .WithFile("/etc/shadow", "root:*:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n", mode: 0x1A0)
        .WithFile("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\told\n")
        .WithFile("/etc/hostname", "old\n")
        .WithFile("/etc/motd", "welcome\n")
        .WithFile("/etc/ssh/sshd_config", "#PermitRootLogin prohibit-password\nPasswordAuthentication yes\n")
        .WithFile("/etc/timezone", "Etc/UTC\n")
        .WithFile("/usr/share/zoneinfo/Europe/London", "TZif")
        .WithFile("/usr/share/zoneinfo/UTC", "TZif")
        .WithFile("/var/cache/apt/archives/a.deb", "deb")
        .WithFile("/var/cache/apt/archives/b.deb", "deb")
        .WithFile("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "Package: nginx\n")
        .WithDirectory("/etc/nginx")
        .WithDirectory("/srv/app")
        .WithDirectory("/root", mode: 0x1C0)
        .WithDirectory("/home/alice", uid: 1000, gid: 1000);
}
