package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banger.host.Command;
import dev.banger.host.JoinedProcesses;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.model.Share;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.vm.host.SharePlan;
import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM's shares through its life, the sessions stood in for by two local programs: one that says
 * the mount is there (as the guest's watcher does) and waits, one that waits (the SFTP server).
 * What the ssh side would have run is recorded. The session's host half is tested for real in
 * {@code ShareSessionsHostTest}.
 */
class VmSharesTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;
    private Path project;
    private final List<Command> launched = Collections.synchronizedList(new ArrayList<>());
    /** What stands in for ssh running the guest's command: by default, the mount reported, then the session kept. */
    private volatile String guest = "echo " + SharePlan.MOUNTED + " >&2; exec sleep 120";

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(HOST.available("bwrap") && HOST.available(SharePlan.SFTP_SERVER),
                "shares need bubblewrap and openssh-sftp-server: run 'make deps'");
        fx = new VmFixture(dir);
        service = fx.service(VmFixture.QUICK);
        service.shares().useKey(() -> "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real one\n");
        service.shares().useLauncher((ssh, server, log, stderr) -> {
            launched.add(ssh);
            return JoinedProcesses.start(Command.of("sh", "-c", guest),
                    Command.of("sleep", "120"), log, stderr);
        });
        project = Files.createDirectories(dir.resolve("home/me/project")).toRealPath();
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private VmInfo create(String name, Share... shares) {
        return service.create(service.plan(new CreateRequest(name, null, null, null, null, false, false, List.of(), List.of(shares))),
                new RecordingStages());
    }

    @Test
    void aCreatesSharesAreMountedAtItsLastStageRecordedAndNamedToTheGuest() throws IOException {
        VmInfo info = create("dev1", new Share(project.toString(), "/mnt/project", false),
                new Share(dir.resolve("home/me/./project/..").toString(), "/data", true));

        assertThat(info.shares()).containsExactly(new Share(project.toString(), "/mnt/project", false),
                new Share(project.getParent().toString(), "/data", true));
        assertThat(launched).hasSize(2);
        assertThat(launched.getFirst().argv()).contains("root@127.77.0.2");
        assertThat(launched.getFirst().argv().getLast()).contains("sshfs -f -o passive,allow_other,dir_cache=no banger:/share '/mnt/project'");
        assertThat(launched.get(1).argv().getLast()).contains("passive,allow_other,dir_cache=no,ro");
        assertThat(service.shares().mounted("dev1", "/mnt/project")).isTrue();
        assertThat(fx.vmm.started().getFirst().bootArgs()).contains("banger.mount=banger-share:/mnt/project:fuse.sshfs:rw",
                "banger.mount=banger-share:/data:fuse.sshfs:ro");
        Path knownHosts = fx.vmDir("dev1").resolve("share_known_hosts");
        assertThat(Files.readString(knownHosts)).isEqualTo("127.77.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests\n");
        assertThat(Files.getPosixFilePermissions(knownHosts)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(fx.vmDir("dev1").resolve("share_key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aStopEndsTheSessionsAndAStartMountsThemAgain() {
        create("dev1", new Share(project.toString(), "/mnt/project", false));

        service.stop("dev1");
        assertThat(service.shares().mounted("dev1", "/mnt/project")).isFalse();
        assertThat(service.info("dev1").shares()).hasSize(1);

        service.start("dev1");
        assertThat(service.shares().mounted("dev1", "/mnt/project")).isTrue();
        assertThat(launched).hasSize(2);
    }

    @Test
    void aShareAddedToARunningVmMountsNowAndUnshareEndsIt() {
        create("dev1");
        assertThat(launched).isEmpty();

        service.shares().add("dev1", new Share(project.toString(), "/srv/p", true));
        assertThat(service.shares().mounted("dev1", "/srv/p")).isTrue();
        assertThat(service.info("dev1").shares()).containsExactly(new Share(project.toString(), "/srv/p", true));

        service.shares().remove("dev1", "/srv/p");
        assertThat(service.shares().mounted("dev1", "/srv/p")).isFalse();
        assertThat(service.info("dev1").shares()).isEmpty();
        assertThatThrownBy(() -> service.shares().remove("dev1", "/srv/p")).isInstanceOfSatisfying(VmException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND)).hasMessageContaining("has no share at /srv/p");
    }

    @Test
    void aShareAddedToAStoppedVmWaitsForItsStart() {
        create("dev1");
        service.stop("dev1");

        service.shares().add("dev1", new Share(project.toString(), "/mnt/project", false));
        assertThat(launched).isEmpty();

        assertThat(service.start("dev1").state()).isEqualTo(VmState.RUNNING);
        assertThat(service.shares().mounted("dev1", "/mnt/project")).isTrue();
    }

    @Test
    void aShareThatDoesNotMountFailsTheCreateWhichRollsBack() {
        guest = "echo 'sh: 1: sshfs: not found' >&2; exit 127";

        assertThatThrownBy(() -> create("dev1", new Share(project.toString(), "/mnt/project", false)))
                .hasMessageContaining("did not mount").hasMessageContaining("sshfs: not found");

        assertThat(fx.store.vms().find("dev1")).isEmpty();
        assertThat(fx.store.shares().list("dev1")).isEmpty();
    }

    @Test
    void aBadShareIsRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> service.plan(new CreateRequest("dev1", null, null, null, null, false, false, List.of(),
                List.of(new Share(project.toString(), "/etc", false))))).isInstanceOfSatisfying(VmException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT)).hasMessageContaining("guest path '/etc'");
        assertThatThrownBy(() -> service.plan(new CreateRequest("dev1", null, null, null, null, false, false, List.of(),
                List.of(new Share(fx.stateDir.toString(), "/mnt/state", false))))).hasMessageContaining("state directory");

        assertThat(fx.store.vms().find("dev1")).isEmpty();
        assertThat(launched).isEmpty();
    }

    @Test
    void aDeleteEndsTheSessionsAndForgetsTheShares() {
        create("dev1", new Share(project.toString(), "/mnt/project", false));

        service.delete(List.of("dev1"));

        assertThat(service.shares().mounted("dev1", "/mnt/project")).isFalse();
        assertThat(fx.store.shares().list("dev1")).isEmpty();
    }
}
