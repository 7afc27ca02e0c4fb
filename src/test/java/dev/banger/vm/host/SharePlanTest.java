package dev.banger.vm.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Share;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharePlanTest {
    private static final List<String> FILES = List.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2",
            SharePlan.SETPRIV, SharePlan.SFTP_SERVER);

    @Test
    void lddOutputGivesTheProgramsAndEveryLibraryPathOnce() {
        String sftp = """
                \tlinux-vdso.so.1 (0x00007fc93ce43000)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fc93cc1c000)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007fc93ce45000)
                """;
        String setpriv = """
                \tlinux-vdso.so.1 (0x00007ff6d2050000)
                \tlibcap-ng.so.0 => /lib/x86_64-linux-gnu/libcap-ng.so.0 (0x00007ff6d2022000)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff6d1e40000)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007ff6d2052000)
                """;

        assertThat(SharePlan.libraries(List.of(sftp, setpriv))).containsExactlyInAnyOrder(SharePlan.SFTP_SERVER, SharePlan.SETPRIV,
                "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libcap-ng.so.0", "/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void theSandboxHoldsTheShareTheProgramsAndTheirLibrariesAndNothingElseOfTheHost() {
        List<String> argv = SharePlan.serverArgv(Path.of("/home/me/src"), false, 1000, 1000, Path.of("/var/lib/banger/vms/dev1/p"),
                FILES);

        assertThat(argv.getFirst()).isEqualTo("bwrap");
        assertThat(argv).containsSubsequence("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv");
        assertThat(argv).doesNotContain("--unshare-user", "--share-net", "--proc");
        // Every host path bound: the listed files read-only, the passwd made for it, the share.
        List<String> sources = new java.util.ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            if (List.of("--bind", "--ro-bind", "--dev-bind").contains(argv.get(i))) {
                sources.add(argv.get(i) + " " + argv.get(i + 1) + " " + argv.get(i + 2));
            }
        }
        assertThat(sources).containsExactlyInAnyOrder(
                "--ro-bind /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6",
                "--ro-bind /lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2",
                "--ro-bind /usr/bin/setpriv /usr/bin/setpriv",
                "--ro-bind /usr/lib/openssh/sftp-server /usr/lib/openssh/sftp-server",
                "--ro-bind /var/lib/banger/vms/dev1/p /etc/passwd",
                "--bind /home/me/src /share");
        assertThat(argv).containsSubsequence("--perms", "0755", "--dir", "/lib", "--perms", "0755", "--dir", "/lib/x86_64-linux-gnu");
        assertThat(argv).containsSubsequence("--chdir", "/share", SharePlan.SETPRIV, "--reuid=1000", "--regid=1000", "--clear-groups",
                "--", SharePlan.SFTP_SERVER, "-d", "/share");
        assertThat(argv.getLast()).isEqualTo("/share");
    }

    @Test
    void aReadOnlyShareIsBoundReadOnlyAndServedReadOnly() {
        List<String> argv = SharePlan.serverArgv(Path.of("/srv/data"), true, 0, 0, Path.of("/p"), FILES);

        assertThat(argv).containsSubsequence("--ro-bind", "/srv/data", "/share").doesNotContain("--bind");
        assertThat(argv.subList(argv.size() - 4, argv.size())).containsExactly(SharePlan.SFTP_SERVER, "-d", "/share", "-R");
    }

    @Test
    void theGuestMountsWithSshfsInPassiveModeAfterClearingAStaleMount() {
        String rw = SharePlan.guestCommand(new Share("/srv/src", "/mnt/src", false));
        String ro = SharePlan.guestCommand(new Share("/srv/src", "/mnt/src", true));

        assertThat(rw).startsWith("fusermount3 -uz '/mnt/src' 2>/dev/null || umount -l '/mnt/src' 2>/dev/null; mkdir -p -- '/mnt/src' && ")
                .contains("grep -qF ' /mnt/src fuse.sshfs ' /proc/self/mounts; then echo " + SharePlan.MOUNTED + " >&2")
                .endsWith("exec sshfs -f -o passive,allow_other,dir_cache=no banger:/share '/mnt/src'; }");
        assertThat(ro).endsWith("exec sshfs -f -o passive,allow_other,dir_cache=no,ro banger:/share '/mnt/src'; }");
    }

    @Test
    void sshTrustsOnlyThePinnedHostKeyAndNoConfigOfTheHost() {
        List<String> argv = SharePlan.sshArgv(Path.of("/vm/share_key"), Path.of("/vm/share_known_hosts"), "172.30.0.2", "CMD");

        assertThat(argv).startsWith("ssh", "-F", "/dev/null", "-T", "-a", "-x", "-e", "none", "-i", "/vm/share_key")
                .contains("UserKnownHostsFile=/vm/share_known_hosts", "GlobalKnownHostsFile=/dev/null", "StrictHostKeyChecking=yes",
                        "BatchMode=yes", "ConnectTimeout=10", "ServerAliveInterval=15", "IdentitiesOnly=yes")
                .endsWith("--", "root@172.30.0.2", "CMD");
    }

    @Test
    void theSandboxPasswdNamesOnlyTheUserItRunsAs() {
        assertThat(SharePlan.passwd(1000, 100)).isEqualTo("banger-share:x:1000:100::/share:/nonexistent\n");
    }
}
