package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.host.Command;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.Share;
import dev.banger.model.SshTarget;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmLogChunk;
import dev.banger.model.VmState;
import dev.banger.rpc.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code banger vm} commands run in-process, as picocli runs them, against a fake bangerd on a real socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VmCommandsTest {
    private static final List<String> STAGES = List.of("validate", "allocate", "root-disk", "work-disk", "network",
            "capabilities", "vmm-start", "boot", "sshd", "services");

    /** What the fake daemon answers to vm.ssh, less the key and host keys that only go into files. */
    private static final SshTarget DEV1 = new SshTarget("dev1", "172.16.0.2", 22, "root", "k", List.of());

    @TempDir
    Path dir;

    private FakeVmDaemon daemon;
    private final List<Command> attached = new ArrayList<>();
    private int attachedExit;

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode lastJsonLine() throws Exception {
            return Json.mapper().readTree(stdout.strip().lines().toList().getLast());
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = new FakeVmDaemon(dir);
    }

    @AfterEach
    void stopDaemon() {
        daemon.close();
    }

    private Run banger(String... args) {
        CommandLine cli = BangerMain.commandLine();
        VmCommand vm = cli.getSubcommands().get("vm").getCommand();
        vm.connector = daemon.connector();
        vm.environment = Map.of("XDG_RUNTIME_DIR", dir.resolve("xdg").toString());
        vm.attached = command -> {
            attached.add(command);
            return attachedExit;
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Stage k takes (k+1)*10 ms; stages before {@code running} succeeded, {@code running} runs, the rest wait. */
    private static Operation creating(int running) {
        List<Stage> stages = new ArrayList<>();
        for (int k = 0; k < STAGES.size(); k++) {
            StageState state = k < running ? StageState.SUCCEEDED : k == running ? StageState.RUNNING : StageState.PENDING;
            stages.add(stage(k, state, null));
        }
        return new Operation("op-7", OperationKind.VM_CREATE, "dev1", OperationState.RUNNING, null,
                FakeVmDaemon.T0, null, stages);
    }

    private static Stage stage(int k, StageState state, String error) {
        Instant start = FakeVmDaemon.T0.plusMillis(100L * k);
        return new Stage(STAGES.get(k), k, state, state == StageState.PENDING ? null : start,
                state.isFinished() ? start.plusMillis(10L * (k + 1)) : null, error);
    }

    private static Operation created() {
        List<Stage> stages = new ArrayList<>();
        for (int k = 0; k < STAGES.size(); k++) {
            stages.add(stage(k, StageState.SUCCEEDED, null));
        }
        return new Operation("op-7", OperationKind.VM_CREATE, "dev1", OperationState.SUCCEEDED, null,
                FakeVmDaemon.T0, FakeVmDaemon.T0.plusMillis(1234), stages);
    }

    private static Operation failedAtBoot() {
        int boot = STAGES.indexOf("boot");
        List<Stage> stages = new ArrayList<>();
        for (int k = 0; k < STAGES.size(); k++) {
            StageState state = k < boot ? StageState.ROLLED_BACK : k == boot ? StageState.FAILED : StageState.SKIPPED;
            stages.add(stage(k, state, k == boot ? "agent did not answer within 60 s" : null));
        }
        return new Operation("op-7", OperationKind.VM_CREATE, "dev1", OperationState.FAILED,
                "agent did not answer within 60 s", FakeVmDaemon.T0, FakeVmDaemon.T0.plusSeconds(61), stages);
    }

    @Test
    void createFollowsEveryStageAndPrintsItsDurationThenTheVmAndTheSshHint() {
        daemon.createSnapshots = List.of(creating(0), creating(7), created());

        Run run = banger("vm", "create", "dev1", "--image", "default", "--vcpus", "4", "--memory", "2048");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.create.begin", FakeVmDaemon.CreateParams.class))
                .isEqualTo(new FakeVmDaemon.CreateParams("dev1", "default", 4, 2048, null, null));
        assertThat(run.stdout()).contains("→ validate", "→ boot");
        for (int k = 0; k < STAGES.size(); k++) {
            assertThat(run.stdout()).containsPattern("✓ " + STAGES.get(k) + " +" + 10 * (k + 1) + " ms");
        }
        assertThat(run.stdout()).contains("dns name:", "dev1.vm", "vmm:", "qemu", "root disk:", "qcow2-overlay")
                .contains("created dev1 in 1234 ms")
                .contains("ssh in with: banger vm ssh dev1");
        assertThat(daemon.methodsCalled()).containsSubsequence("vm.create.begin", "vm.create.status", "vm.show");
    }

    @Test
    void createWithoutANameLetsTheDaemonChooseAndSendsNoDefaults() {
        daemon.createSnapshots = List.of(creating(0), created());

        Run run = banger("vm", "create");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.create.begin", FakeVmDaemon.CreateParams.class))
                .isEqualTo(new FakeVmDaemon.CreateParams(null, null, null, null, null, null));
    }

    @Test
    void createWithColdAsksForABootEvenWhereASnapshotExists() {
        daemon.createSnapshots = List.of(creating(0), created());

        Run run = banger("vm", "create", "dev1", "--cold");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.create.begin", FakeVmDaemon.CreateParams.class))
                .isEqualTo(new FakeVmDaemon.CreateParams("dev1", null, null, null, null, true));
        assertThat(CommandTree.full().getSubcommands().get("vm").getSubcommands().get("create").getCommandSpec()
                .findOption("--cold").description()).containsExactly("Boot the kernel even when a snapshot of this shape exists.");
    }

    @Test
    void createWithNoWaitPrintsTheNameAndOperationIdWithoutFollowing() throws Exception {
        daemon.createSnapshots = List.of(creating(0));

        Run text = banger("vm", "create", "dev1", "--no-wait");
        Run json = banger("vm", "create", "dev1", "--no-wait", "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).contains("dev1").contains("op-7").doesNotContain("→");
        assertThat(json.exitCode()).isZero();
        assertThat(json.lastJsonLine().get("name").asText()).isEqualTo("dev1");
        assertThat(json.lastJsonLine().get("operationId").asText()).isEqualTo("op-7");
        assertThat(daemon.methodsCalled()).containsExactly("vm.create.begin", "vm.create.begin");
    }

    @Test
    void createWithJsonPrintsOnlyOneObjectWithTheOperationAndTheVm() throws Exception {
        daemon.createSnapshots = List.of(creating(0), creating(4), created());

        Run run = banger("vm", "create", "dev1", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip().lines()).hasSize(1);
        JsonNode result = run.lastJsonLine();
        assertThat(result.get("operation").get("state").asText()).isEqualTo("succeeded");
        assertThat(result.get("operation").get("stages")).hasSize(STAGES.size());
        assertThat(result.get("vm").get("name").asText()).isEqualTo("dev1");
        assertThat(result.get("vm").get("dnsName").asText()).isEqualTo("dev1.vm");
    }

    @Test
    void createFailureExitsOneNamingTheFailedStageAndItsError() {
        daemon.createSnapshots = List.of(creating(0), failedAtBoot());

        Run run = banger("vm", "create", "dev1");
        Run json = banger("vm", "create", "dev1", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.stdout()).contains("✗ boot").contains("agent did not answer within 60 s");
        assertThat(run.stderr()).contains("creating VM 'dev1' failed at stage boot: agent did not answer within 60 s");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(json.stderr()).contains("at stage boot");
        assertThat(daemon.methodsCalled()).doesNotContain("vm.show");
    }

    @Test
    void createRejectsAnInvalidNameBeforeCallingTheDaemon() {
        Run run = banger("vm", "create", "Dev_1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("invalid VM name 'Dev_1'");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void deleteOfThreeWithOneFailureDeletesTheOthersAndExitsWithTheFailuresCode() {
        daemon.deleteResult = new VmDeleteResult(List.of(
                new VmDeleteResult.Outcome("dev1", true, null, null),
                new VmDeleteResult.Outcome("dev2", false, "VM 'dev2' is being created", "conflict"),
                new VmDeleteResult.Outcome("dev3", true, null, null)));

        Run run = banger("vm", "delete", "dev1", "dev2", "dev3");

        assertThat(daemon.onlyParams("vm.delete", FakeVmDaemon.DeleteParams.class).names())
                .containsExactly("dev1", "dev2", "dev3");
        assertThat(run.stdout().lines()).containsExactly(
                "deleted dev1", "dev2: VM 'dev2' is being created", "deleted dev3", "deleted 2 of 3 VMs");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void deleteOfAllExitsZeroAndJsonPrintsTheResult() throws Exception {
        daemon.deleteResult = new VmDeleteResult(List.of(new VmDeleteResult.Outcome("dev1", true, null, null)));

        Run run = banger("vm", "delete", "dev1", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lastJsonLine().get("outcomes").get(0).get("deleted").asBoolean()).isTrue();
    }

    @Test
    void shareSendsARelativeHostPathMadeAbsoluteAndTheDefaultGuestPath() {
        Run run = banger("vm", "share", "dev1", "project");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String here = Path.of("").toAbsolutePath().resolve("project").toString();
        assertThat(daemon.onlyParams("vm.share.add", FakeVmDaemon.ShareParams.class))
                .isEqualTo(new FakeVmDaemon.ShareParams("dev1", here, "/mnt/project", false));
        assertThat(run.stdout()).contains("dev1: " + here + " is at /mnt/project");
    }

    @Test
    void shareTakesAGuestPathAndReadOnly() {
        Run run = banger("vm", "share", "dev1", "/srv/data:/data:ro");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.share.add", FakeVmDaemon.ShareParams.class))
                .isEqualTo(new FakeVmDaemon.ShareParams("dev1", "/srv/data", "/data", true));
        assertThat(run.stdout()).contains("/srv/data is at /data (read-only)");
    }

    @Test
    void aShareSpecWithTooManyPartsIsAUsageErrorAndCallsNothing() {
        Run run = banger("vm", "share", "dev1", "/a:/b:/c");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("too many ':' parts");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void createSendsEachShare() {
        daemon.createSnapshots = List.of(created());

        Run run = banger("vm", "create", "dev1", "--share", "/srv/src", "--share", "/srv/data:/data:ro");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.create.begin", FakeVmDaemon.CreateParams.class).shares()).containsExactly(
                new FakeVmDaemon.ShareSpec("/srv/src", "/mnt/src", false), new FakeVmDaemon.ShareSpec("/srv/data", "/data", true));
    }

    @Test
    void unshareSendsTheGuestPath() {
        Run run = banger("vm", "unshare", "dev1", "/data");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.share.rm", FakeVmDaemon.UnshareParams.class))
                .isEqualTo(new FakeVmDaemon.UnshareParams("dev1", "/data"));
        assertThat(run.stdout()).contains("dev1: no longer shares /data");
    }

    @Test
    void showListsEachShareWithWhereTheGuestSeesIt() {
        VmInfo plain = FakeVmDaemon.vm("dev1");
        VmInfo shared = new VmInfo(plain.name(), plain.image(), plain.state(), plain.vcpus(), plain.memoryMib(), plain.diskBytes(),
                plain.ip(), plain.mac(), plain.vsockCid(), plain.dnsName(), plain.vmm(), plain.acceleration(), plain.pid(), plain.tap(),
                plain.rootDisk(), plain.vmDir(), plain.createdAt(), plain.updatedAt(), List.of(),
                List.of(new Share("/srv/src", "/mnt/src", false), new Share("/srv/data", "/data", true)));

        assertThat(VmView.fields(shared)).extracting(field -> field[0] + ": " + field[1])
                .contains("share: /mnt/src <- /srv/src", "share: /data <- /srv/data (read-only)");
        assertThat(VmView.fields(plain)).extracting(field -> field[0]).doesNotContain("share");
    }

    @Test
    void editWithoutAnyOptionIsAUsageErrorAndCallsNothing() {
        Run run = banger("vm", "edit", "dev1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("nothing to change");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void editSendsOnlyTheGivenOptions() {
        Run run = banger("vm", "edit", "dev1", "--disk", "16");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.edit", FakeVmDaemon.EditParams.class))
                .isEqualTo(new FakeVmDaemon.EditParams("dev1", null, null, 16));
    }

    @Test
    void logsFollowKeepsPollingFromTheNextOffsetUntilTheVmStopsRunning() {
        synchronized (daemon.logChunks) {
            daemon.logChunks.add(new VmLogChunk("booting\n", 8, true));
            daemon.logChunks.add(new VmLogChunk("", 8, true));
            daemon.logChunks.add(new VmLogChunk("login: ", 15, true));
            daemon.logChunks.add(new VmLogChunk("", 15, true));
            daemon.logChunks.add(new VmLogChunk("reboot: Power down\n", 34, false));
            daemon.logChunks.add(new VmLogChunk("", 34, false));
        }

        Run run = banger("vm", "logs", "dev1", "--follow");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("booting\nlogin: reboot: Power down\n");
        List<Long> offsets = daemon.calls.stream().map(c -> ((FakeVmDaemon.LogParams) c.params()).offset()).toList();
        assertThat(offsets).containsExactly(0L, 8L, 8L, 15L, 15L, 34L);
    }

    @Test
    void logsWithoutFollowStopsAtTheFirstEmptyChunkEvenWhileTheVmRuns() {
        synchronized (daemon.logChunks) {
            daemon.logChunks.add(new VmLogChunk("part one\n", 9, true));
            daemon.logChunks.add(new VmLogChunk("part two\n", 18, true));
            daemon.logChunks.add(new VmLogChunk("", 18, true));
        }

        Run run = banger("vm", "logs", "dev1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("part one\npart two\n");
        assertThat(daemon.logChunks).isEmpty();
    }

    @Test
    void listAndShowPrintJsonThatParsesBackToTheDaemonsAnswer() throws Exception {
        Run list = banger("vm", "list", "--json");
        Run show = banger("vm", "show", "dev1", "--json");

        assertThat(list.exitCode()).isZero();
        JsonNode vms = list.lastJsonLine().get("vms");
        assertThat(vms).hasSize(2);
        assertThat(vms.get(1).get("name").asText()).isEqualTo("dev2");
        assertThat(show.exitCode()).isZero();
        assertThat(Json.mapper().treeToValue(show.lastJsonLine(), dev.banger.model.VmInfo.class))
                .isEqualTo(FakeVmDaemon.vm("dev1"));
    }

    @Test
    void listPrintsATableAndShowPrintsHostSideFields() {
        Run list = banger("vm", "list");
        Run show = banger("vm", "show", "dev1");

        assertThat(list.stdout().lines().toList().getFirst().split(" +"))
                .containsExactly("NAME", "STATE", "IMAGE", "IP", "VCPUS", "MEMORY", "DISK", "VMM");
        assertThat(list.stdout()).containsPattern("dev1 +running +default +172\\.16\\.0\\.2 +2 +1024 MiB +8 GiB +qemu");
        assertThat(show.stdout()).containsPattern("tap: +tap-bg0").containsPattern("vm dir: +/var/lib/banger/vms/dev1")
                .containsPattern("root disk: +qcow2-overlay").containsPattern("vmm: +qemu");
    }

    @Test
    void theQuickListPrintsExactlyWhatTheFullCommandPrints() {
        for (String[] args : List.of(new String[] {"vm", "list"}, new String[] {"vm", "list", "--json"})) {
            Run full = banger(args);
            StringWriter quick = new StringWriter();

            java.util.OptionalInt exit = QuickVmList.run(args, daemon.paths, new PrintWriter(quick, true));

            assertThat(exit).as(String.join(" ", args)).hasValue(0);
            assertThat(quick.toString()).as(String.join(" ", args)).isEqualTo(full.stdout()).contains("dev2");
        }
    }

    @Test
    void theQuickListLeavesEverythingElseToTheFullCommand() throws Exception {
        StringWriter quick = new StringWriter();
        PrintWriter out = new PrintWriter(quick, true);

        assertThat(QuickVmList.run(new String[] {"vm", "list", "--verbose"}, daemon.paths, out)).isEmpty();
        assertThat(QuickVmList.run(new String[] {"vm", "list", "--json", "--help"}, daemon.paths, out)).isEmpty();
        assertThat(QuickVmList.run(new String[] {"vm", "show", "dev1"}, daemon.paths, out)).isEmpty();
        daemon.close();
        assertThat(QuickVmList.run(new String[] {"vm", "list"}, daemon.paths, out)).isEmpty();
        assertThat(quick.toString()).isEmpty();
    }

    @Test
    void stopPrintsTheResultingState() {
        Run run = banger("vm", "stop", "dev1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("dev1: " + VmState.STOPPED.wireName());
    }

    @Test
    void statsAndHealthUseHumanUnits() {
        Run stats = banger("vm", "stats", "dev1");
        Run health = banger("vm", "health", "dev1");

        assertThat(stats.stdout()).containsPattern("cpu: +12.5 s \\(3.25% of one CPU\\)")
                .containsPattern("memory rss: +300 MiB of 1024 MiB")
                .containsPattern("disk: +1.5 GiB used of 8 GiB")
                .containsPattern("uptime: +1h 1m");
        assertThat(health.stdout()).containsPattern("status: +ok").containsPattern("sshd: +listening on port 22")
                .containsPattern("opencode: +not listening on port 4096").containsPattern("work disk: +mounted at /root")
                .containsPattern("uptime: +1m 35s").containsPattern("boot id: +b00t-1d").containsPattern("agent version: +0.3.0");
    }

    @Test
    void textAndJsonSayTheSameWords() throws Exception {
        Run show = banger("vm", "show", "dev1");
        Run stats = banger("vm", "stats", "dev1");
        Run health = banger("vm", "health", "dev1");
        Run stop = banger("vm", "stop", "dev1");

        assertThat(show.stdout()).containsPattern("(?m)^state: +running$");
        assertThat(banger("vm", "show", "dev1", "--json").lastJsonLine().get("state").textValue()).isEqualTo("running");
        assertThat(stats.stdout()).containsPattern("(?m)^state: +running$");
        assertThat(banger("vm", "stats", "dev1", "--json").lastJsonLine().get("state").textValue()).isEqualTo("running");
        assertThat(health.stdout()).containsPattern("(?m)^status: +ok$");
        assertThat(banger("vm", "health", "dev1", "--json").lastJsonLine().get("status").textValue()).isEqualTo("ok");
        assertThat(stop.stdout()).isEqualTo("dev1: stopped\n");
        assertThat(banger("vm", "stop", "dev1", "--json").lastJsonLine().get("state").textValue()).isEqualTo("stopped");
    }

    @Test
    void sshRunsTheSystemSshWithPrivateKeyFilesAndRemindsThatTheVmRuns() throws Exception {
        attachedExit = 0;

        Run run = banger("vm", "ssh", "dev1");

        assertThat(run.exitCode()).isZero();
        Path keys = dir.resolve("xdg/banger");
        assertThat(attached).singleElement().extracting(Command::argv).isEqualTo(SshCommand.argv(
                new dev.banger.model.SshTarget("dev1", "172.16.0.2", 22, "root", "k", List.of()),
                keys.resolve("dev1.key"), keys.resolve("dev1.known_hosts"), List.of()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("dev1.key")))).isEqualTo("rw-------");
        assertThat(Files.readString(keys.resolve("dev1.key"))).contains("key-for-dev1").endsWith("-----\n");
        assertThat(Files.readString(keys.resolve("dev1.known_hosts"))).isEqualTo("172.16.0.2 ssh-ed25519 AAAAhostkey\n");
        assertThat(run.stderr().strip())
                .isEqualTo("dev1 is still running (agent: ok); stop it with: banger vm stop dev1");
    }

    @Test
    void sshWithACommandReturnsItsExitCodeAndSkipsTheReminder() {
        attachedExit = 42;

        Run run = banger("vm", "ssh", "dev1", "--", "uname", "-a");

        assertThat(run.exitCode()).isEqualTo(42);
        assertThat(attached.getFirst().argv()).endsWith("--", "root@172.16.0.2", "uname", "-a");
        assertThat(run.stderr()).isEmpty();
        assertThat(daemon.methodsCalled()).containsExactly("vm.ssh");
    }

    @Test
    void sshReminderSaysTheVmMayStillRunWhenTheAgentDoesNotAnswer() {
        daemon.healthFails = true;

        Run run = banger("vm", "ssh", "dev1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).contains("dev1 may still be running (could not ask its agent: agent of dev1 did not answer)")
                .contains("stop it with: banger vm stop dev1");
    }

    @Test
    void vmWithoutASubcommandAndDeleteWithoutNamesAreUsageErrors() {
        Run bare = banger("vm");
        Run delete = banger("vm", "delete");

        assertThat(bare.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bare.stderr()).contains("a vm command is required");
        assertThat(delete.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(delete.stderr()).contains("NAME");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    private Path keys() {
        return dir.resolve("xdg/banger");
    }

    @Test
    void execRunsSshWithoutATerminalAndExitsWithTheGuestCommandsCode() throws Exception {
        attachedExit = 7;

        Run run = banger("vm", "exec", "dev1", "--", "sh", "-c", "exit 7");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(attached).singleElement().extracting(Command::argv).isEqualTo(ExecCommand.argv(DEV1,
                keys().resolve("dev1.key"), keys().resolve("dev1.known_hosts"), false, List.of("sh", "-c", "exit 7")));
        assertThat(attached.getFirst().argv()).contains("-T").endsWith("--", "root@172.16.0.2", "'sh'", "'-c'", "'exit 7'");
        assertThat(Files.readString(keys().resolve("dev1.key"))).contains("key-for-dev1");
        assertThat(run.stderr()).isEmpty();
        assertThat(daemon.methodsCalled()).containsExactly("vm.ssh");
        assertThat(daemon.onlyParams("vm.ssh", FakeVmDaemon.NameParams.class).name()).isEqualTo("dev1");
    }

    @Test
    void execPassesSshsOwnFailureThrough() {
        attachedExit = 255;

        assertThat(banger("vm", "exec", "dev1", "--", "true").exitCode()).isEqualTo(255);
    }

    @Test
    void execWithTtyAsksSshForATerminalAndLeavesOptionLikeWordsAfterTheDashesToTheCommand() {
        Run run = banger("vm", "exec", "-t", "dev1", "--", "ls", "-t", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(attached.getFirst().argv()).contains("-tt").doesNotContain("-T")
                .endsWith("--", "root@172.16.0.2", "'ls'", "'-t'", "'--help'");
    }

    @Test
    void execWithoutACommandOrWithABadNameIsAUsageErrorThatCallsNothing() {
        Run noCommand = banger("vm", "exec", "dev1");
        Run badName = banger("vm", "exec", "Dev_1", "--", "true");

        assertThat(noCommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCommand.stderr()).contains("Missing required parameter").contains("CMD");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.stderr()).contains("invalid VM name 'Dev_1'");
        assertThat(daemon.methodsCalled()).isEmpty();
        assertThat(attached).isEmpty();
    }

    @Test
    void cpIntoAVmRunsScpWithThePinnedKeyAndExitsWithItsCode() {
        attachedExit = 1;

        Run run = banger("vm", "cp", "notes.txt", "dev1:/root/my notes.txt");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(attached).singleElement().extracting(Command::argv).isEqualTo(ScpCommand.argv(DEV1,
                keys().resolve("dev1.key"), keys().resolve("dev1.known_hosts"), false,
                new ScpCommand.Operand(null, "notes.txt"), new ScpCommand.Operand("dev1", "/root/my notes.txt")));
        assertThat(attached.getFirst().argv()).startsWith("scp").doesNotContain("-r")
                .endsWith("--", "notes.txt", "root@172.16.0.2:/root/my notes.txt");
        assertThat(daemon.onlyParams("vm.ssh", FakeVmDaemon.NameParams.class).name()).isEqualTo("dev1");
    }

    @Test
    void cpOutOfAVmRecursivelyTakesAPathAfterTheDashesThatStartsWithADashAsAPath() {
        Run run = banger("vm", "cp", "-r", "--", "dev1:/etc", "-etc copy");

        assertThat(run.exitCode()).isZero();
        assertThat(attached.getFirst().argv()).contains("-r")
                .endsWith("--", "root@172.16.0.2:/etc", "-etc copy");
    }

    @Test
    void cpNamingBothOrNoVmOrABadNameIsAUsageErrorThatCallsNothing() {
        Run both = banger("vm", "cp", "dev1:a", "dev2:b");
        Run neither = banger("vm", "cp", "a", "./b:c");
        Run badName = banger("vm", "cp", "a", "Dev_1:/tmp");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.stderr()).contains("both dev1:a and dev2:b name a VM");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.stderr()).contains("neither a nor ./b:c names a VM");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.stderr()).contains("invalid VM name 'Dev_1'");
        assertThat(daemon.methodsCalled()).isEmpty();
        assertThat(attached).isEmpty();
    }

    @Test
    void createWithPublishSendsEverySpecAsGiven() {
        daemon.createSnapshots = List.of(creating(0), created());

        Run run = banger("vm", "create", "dev1", "--publish", "2222:22", "--publish", "0.0.0.0:8053:53/udp");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.create.begin", FakeVmDaemon.CreateParams.class).publish())
                .containsExactly("2222:22", "0.0.0.0:8053:53/udp");
    }

    @Test
    void createWithABadPublishIsAUsageErrorThatCallsNothing() {
        Run outOfRange = banger("vm", "create", "dev1", "--publish", "70000:22");
        Run noGuestPort = banger("vm", "create", "dev1", "--publish", "127.0.0.1:2222");
        Run name = banger("vm", "create", "dev1", "--publish", "localhost:2222:22");

        assertThat(outOfRange.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(outOfRange.stderr()).contains("host port 70000 is out of range 1-65535");
        assertThat(noGuestPort.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noGuestPort.stderr()).contains("has no guest port");
        assertThat(name.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.stderr()).contains("host address 'localhost' is not an IPv4 address");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void portAddSendsTheSpecAndSaysAStoppedVmGetsItAtItsStart() {
        daemon.ports = List.of(dev.banger.model.PortForward.loopback(2222, 22));

        Run run = banger("vm", "port", "add", "dev1", "2222:22");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.port.add", FakeVmDaemon.PortParams.class))
                .isEqualTo(new FakeVmDaemon.PortParams("dev1", "2222:22"));
        assertThat(run.stdout()).containsPattern("127\\.0\\.0\\.1:2222 +172\\.16\\.0\\.2:22 +tcp")
                .contains("dev1 is not running: the forwards are installed when it starts");
    }

    @Test
    void portRmTakesTheHostSideAlone() {
        Run run = banger("vm", "port", "rm", "dev1", "127.0.0.1:2222/tcp");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("vm.port.rm", FakeVmDaemon.PortParams.class))
                .isEqualTo(new FakeVmDaemon.PortParams("dev1", "127.0.0.1:2222/tcp"));
        assertThat(run.stdout()).contains("dev1 publishes no ports");
    }

    @Test
    void portListPrintsJsonWithJson() throws Exception {
        daemon.ports = List.of(new dev.banger.model.PortForward("0.0.0.0", 8053, 53, "udp"));

        Run run = banger("vm", "port", "list", "dev1", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode forward = run.lastJsonLine().get("ports").get(0);
        assertThat(forward.get("hostAddress").asText()).isEqualTo("0.0.0.0");
        assertThat(forward.get("hostPort").asInt()).isEqualTo(8053);
        assertThat(forward.get("guestPort").asInt()).isEqualTo(53);
        assertThat(forward.get("protocol").asText()).isEqualTo("udp");
        assertThat(run.lastJsonLine().get("active").asBoolean()).isTrue();
    }

    @Test
    void portCommandsRefuseBadSpecsAndNamesBeforeCallingTheDaemon() {
        Run badRm = banger("vm", "port", "rm", "dev1", "2222/sctp");
        Run badAdd = banger("vm", "port", "add", "dev1", "300.0.0.1:2222:22");
        Run badName = banger("vm", "port", "list", "Dev_1");
        Run noSub = banger("vm", "port");

        assertThat(badRm.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badRm.stderr()).contains("must be tcp or udp");
        assertThat(badAdd.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badAdd.stderr()).contains("host address '300.0.0.1' is not an IPv4 address");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSub.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSub.stderr()).contains("list, add or rm");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void showListsThePublishedPorts() {
        Run run = banger("vm", "show", "dev1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("ports: +-");
    }
}
