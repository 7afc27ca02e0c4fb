package dev.banger.vm.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banger.host.Command;
import dev.banger.host.JoinedProcesses;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Share;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host half of a share for real: the confined sftp-server joined by {@link JoinedProcesses} to
 * sshfs in passive mode, run on this host in place of the guest (the launcher swaps the ssh
 * command for the guest's own command line under {@code sh -c}), plus the server spoken to
 * directly in SFTP to show it reaches nothing outside the share. Needs root, bubblewrap,
 * openssh-sftp-server and sshfs ({@code make deps}, and sshfs for this test).
 */
class ShareSessionsHostTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();
    private static final int NOBODY = 65534;

    private Path base;
    private Path shared;
    private Path vmDir;
    private ShareSessions sessions;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        for (String program : List.of("bwrap", SharePlan.SFTP_SERVER, SharePlan.SETPRIV, "sshfs", "fusermount3")) {
            assumeTrue(HOST.available(program), program + " is missing: run 'make deps' (bubblewrap, openssh-sftp-server)"
                    + " and apt-get install sshfs");
        }
        base = Files.createTempDirectory(Path.of("/tmp"), "banger-share-test");
        shared = Files.createDirectory(base.resolve("project"));
        Files.writeString(shared.resolve("hello.txt"), "from the host\n");
        Files.createSymbolicLink(shared.resolve("escape"), Path.of("/etc/hostname"));
        Files.setOwner(shared, shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        vmDir = Files.createDirectory(base.resolve("vm"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // The guest's command, run here: sshfs mounts on this host at the "guest" path.
        ShareSessions.Launcher local = (ssh, server, log, stderr) -> JoinedProcesses.start(
                Command.of("sh", "-c", ssh.argv().getLast()), server, log, stderr);
        sessions = new ShareSessions(HOST, local);
        sessions.useKey(() -> "not used: no ssh here");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (sessions != null) {
            sessions.close();
        }
        if (base != null) {
            HOST.exec(Command.of("fusermount3", "-uz", base.resolve("mnt").toString()));
            HOST.exec(Command.of("fusermount3", "-uz", base.resolve("ro").toString()));
            HOST.exec(Command.of("rm", "-rf", "--one-file-system", base.toString()));
        }
    }

    private ShareSessions.Target target() {
        return new ShareSessions.Target("dev1", "127.0.0.1", vmDir, List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy"));
    }

    @Test
    void aShareIsWrittenFromTheMountAndReadOnTheHostAsTheDirectorysOwner() throws IOException {
        Path mount = base.resolve("mnt");
        sessions.attach(target(), new Share(shared.toString(), mount.toString(), false));

        assertThat(sessions.attached("dev1", mount.toString())).isTrue();
        assertThat(Files.readString(mount.resolve("hello.txt"))).isEqualTo("from the host\n");
        Files.writeString(mount.resolve("from-guest.txt"), "written through the share\n");
        assertThat(Files.readString(shared.resolve("from-guest.txt"))).isEqualTo("written through the share\n");
        assertThat(Files.getAttribute(shared.resolve("from-guest.txt"), "unix:uid")).isEqualTo(NOBODY);

        sessions.detach("dev1", mount.toString());
        assertThat(HOST.exec(Command.of("mountpoint", "-q", mount.toString())).exitCode()).isNotZero();
        assertThat(shared.resolve("from-guest.txt")).exists();
    }

    @Test
    void whatTheHostChangesIsSeenThroughTheMountAtOnce() throws IOException {
        Path mount = base.resolve("mnt");
        sessions.attach(target(), new Share(shared.toString(), mount.toString(), false));
        try (var listed = Files.list(mount)) {
            assertThat(listed.map(p -> p.getFileName().toString())).doesNotContain("later.txt");
        }

        Files.writeString(shared.resolve("later.txt"), "made on the host\n");

        try (var listed = Files.list(mount)) {
            assertThat(listed.map(p -> p.getFileName().toString())).contains("later.txt");
        }
        assertThat(Files.readString(mount.resolve("later.txt"))).isEqualTo("made on the host\n");
    }

    @Test
    void aReadOnlyShareRefusesWritesThroughTheMount() throws IOException {
        Path mount = base.resolve("ro");
        sessions.attach(target(), new Share(shared.toString(), mount.toString(), true));

        assertThat(Files.readString(mount.resolve("hello.txt"))).isEqualTo("from the host\n");
        assertThatThrownBy(() -> Files.writeString(mount.resolve("nope.txt"), "x")).isInstanceOf(IOException.class);
        assertThat(shared.resolve("nope.txt")).doesNotExist();
    }

    @Test
    void aReadOnlyServerRefusesWritesEvenWhenTheClientAsks() throws IOException, InterruptedException {
        try (Sftp sftp = Sftp.start(serverArgv(true))) {
            assertThat(sftp.open("/share/hello.txt", Sftp.READ)).isTrue();
            assertThat(sftp.open("/share/new.txt", Sftp.WRITE | Sftp.CREATE)).isFalse();
        }
        assertThat(shared.resolve("new.txt")).doesNotExist();
    }

    @Test
    void theServerReachesNothingOutsideTheShare() throws IOException, InterruptedException {
        try (Sftp sftp = Sftp.start(serverArgv(false))) {
            assertThat(sftp.open("/share/hello.txt", Sftp.READ)).isTrue();
            assertThat(sftp.open("hello.txt", Sftp.READ)).isTrue();
            for (String outside : List.of("/etc/hostname", "/etc/shadow", "../etc/hostname", "../../../etc/hostname",
                    "/share/escape", "escape", "/proc/1/environ", "/root/.bashrc", vmDir.resolve("share_key").toString(),
                    base.resolve("project/hello.txt").toString())) {
                assertThat(sftp.open(outside, Sftp.READ)).as(outside).isFalse();
            }
            // Its /etc/passwd is the one line made for it, not the host's.
            assertThat(sftp.read("/etc/passwd")).isEqualTo(SharePlan.passwd(NOBODY, NOBODY));
            assertThat(sftp.open("/share/made-here.txt", Sftp.WRITE | Sftp.CREATE)).isTrue();
        }
        assertThat(shared.resolve("made-here.txt")).exists();
    }

    private List<String> serverArgv(boolean readOnly) throws IOException {
        Path passwd = vmDir.resolve("passwd");
        Files.writeString(passwd, SharePlan.passwd(NOBODY, NOBODY));
        List<String> files = SharePlan.libraries(List.of(HOST.run("ldd", SharePlan.SFTP_SERVER).stdout(),
                HOST.run("ldd", SharePlan.SETPRIV).stdout()));
        return SharePlan.serverArgv(shared, readOnly, NOBODY, NOBODY, passwd, files);
    }

    /** Just enough SFTP v3 to open and read files. */
    private record Sftp(Process process, DataOutputStream out, DataInputStream in) implements AutoCloseable {
        static final int READ = 0x01;
        static final int WRITE = 0x02;
        static final int CREATE = 0x08;
        private static final int STATUS = 101;
        private static final int HANDLE = 102;

        static Sftp start(List<String> argv) throws IOException {
            Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Sftp sftp = new Sftp(process, new DataOutputStream(process.getOutputStream()), new DataInputStream(process.getInputStream()));
            sftp.out.writeInt(5);
            sftp.out.writeByte(1); // SSH_FXP_INIT
            sftp.out.writeInt(3);
            sftp.out.flush();
            byte[] version = sftp.packet();
            assertThat(version[0]).isEqualTo((byte) 2); // SSH_FXP_VERSION
            return sftp;
        }

        boolean open(String path, int flags) throws IOException {
            return handle(path, flags) != null;
        }

        String read(String path) throws IOException {
            byte[] handle = handle(path, READ);
            assertThat(handle).as(path).isNotNull();
            byte[] name = handle;
            byte[] body = new byte[1 + 4 + 4 + name.length + 8 + 4];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
            b.put((byte) 5).putInt(2).putInt(name.length).put(name).putLong(0).putInt(32768); // SSH_FXP_READ
            send(body);
            byte[] reply = packet();
            assertThat(reply[0]).isEqualTo((byte) 103); // SSH_FXP_DATA
            java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(reply, 5, reply.length - 5);
            byte[] data = new byte[r.getInt()];
            r.get(data);
            return new String(data, StandardCharsets.UTF_8);
        }

        private byte[] handle(String path, int flags) throws IOException {
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + 4 + name.length + 4 + 4);
            b.put((byte) 3).putInt(1).putInt(name.length).put(name).putInt(flags).putInt(0); // SSH_FXP_OPEN, no attributes
            send(b.array());
            byte[] reply = packet();
            if (reply[0] == STATUS) {
                return null;
            }
            assertThat(reply[0]).isEqualTo((byte) HANDLE);
            java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(reply, 5, reply.length - 5);
            byte[] handle = new byte[r.getInt()];
            r.get(handle);
            return handle;
        }

        private void send(byte[] body) throws IOException {
            out.writeInt(body.length);
            out.write(body);
            out.flush();
        }

        private byte[] packet() throws IOException {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return body;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
