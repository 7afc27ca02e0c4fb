package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banger.model.VmInfo;
import dev.banger.model.VmList;
import dev.banger.model.VmState;
import dev.banger.rpc.Json;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class QuickVmListTest {
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    /** The answer line the daemon's dispatcher writes for {@code list}. */
    private static String answer(VmList list) throws Exception {
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("jsonrpc", "2.0");
        response.put("id", 1);
        response.set("result", Json.mapper().valueToTree(list));
        return Json.mapper().writeValueAsString(response);
    }

    /** One VM's answer with {@code edit} applied to its JSON object. */
    private static String answerWithVm(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode response = (ObjectNode) Json.mapper().readTree(answer(new VmList(List.of(running("a")))));
        edit.accept((ObjectNode) response.get("result").get("vms").get(0));
        return Json.mapper().writeValueAsString(response);
    }

    private static java.util.Optional<List<List<String>>> rows(String answer) {
        return QuickVmList.read(answer).map(QuickVmList.Listing::rows);
    }

    private static VmInfo running(String name) {
        return new VmInfo(name, "default", VmState.RUNNING, 2, 1024, 8L << 30, "172.16.0.2", "02:42:ac:10:00:02", 3,
                name + ".vm", "qemu", "kvm", 4242L, "tap-bg0", "qcow2-overlay", "/var/lib/banger/vms/" + name, T0, T0);
    }

    @Test
    void rowsAreTheOnesTheFullCommandRendersFromTheDecodedAnswer() throws Exception {
        VmList list = new VmList(List.of(
                running("dev1"),
                new VmInfo("half-made", null, VmState.FAILED, 1, 256, (3L << 30) / 2, null, null, 9, null, null, null, null,
                        null, null, null, null, null),
                new VmInfo("big", "void-exp", VmState.STOPPED, 64, 262_144, 1L << 42, "172.16.3.250", null, 12, null,
                        "firecracker", null, null, null, "reflink", "/d", T0, T0)));

        assertThat(rows(answer(list))).hasValue(list.vms().stream().map(VmView::row).toList());
    }

    @Test
    void theJsonIsWhatDatabindWritesAfterDecodingTheAnswer() throws Exception {
        Instant odd = Instant.parse("2026-12-02T08:00:00.120Z");
        VmList list = new VmList(List.of(running("dev1"),
                new VmInfo("x", "imägé \"q\"", VmState.CREATING, 1, 128, 1L << 30, null, null, 4, null, null, null, null,
                        null, null, "/tmp/a b", odd, odd.plusNanos(1))));
        String answer = answer(list);
        VmList decoded = Json.mapper().treeToValue(Json.mapper().readTree(answer).get("result"), VmList.class);

        assertThat(QuickVmList.read(answer).orElseThrow().json()).isEqualTo(Json.mapper().writeValueAsString(decoded));
    }

    @Test
    void aVmsPublishedPortsAreNoColumnAndKeepTheQuickPath() throws Exception {
        VmInfo plain = running("dev1");
        VmInfo published = new VmInfo(plain.name(), plain.image(), plain.state(), plain.vcpus(), plain.memoryMib(),
                plain.diskBytes(), plain.ip(), plain.mac(), plain.vsockCid(), plain.dnsName(), plain.vmm(), plain.acceleration(),
                plain.pid(), plain.tap(), plain.rootDisk(), plain.vmDir(), T0, T0,
                List.of(dev.banger.model.PortForward.loopback(2222, 22)), List.of(new dev.banger.model.Share("/srv/src", "/mnt/src", false)));
        String answer = answer(new VmList(List.of(published)));

        assertThat(rows(answer)).hasValue(List.of(VmView.row(published)));
        assertThat(QuickVmList.read(answer).orElseThrow().json()).contains("\"hostPort\":2222");
    }

    @Test
    void anEmptyListHasNoRows() throws Exception {
        assertThat(rows(answer(new VmList(List.of())))).hasValue(List.of());
    }

    @Test
    void anErrorAnswerIsLeftToTheFullCommand() {
        assertThat(rows("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"no\"}}")).isEmpty();
    }

    @Test
    void answersTheFullCommandWouldRefuseAreLeftToIt() throws Exception {
        assertThat(rows(answerWithVm(vm -> vm.put("color", "red")))).as("unknown field").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.put("state", "SLEEPING")))).as("unknown state").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.putNull("vcpus")))).as("null count").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.put("vcpus", "two")))).as("mistyped count").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.put("memoryMib", 1L << 40)))).as("count beyond int").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.remove("diskBytes")))).as("missing size").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.put("name", 7)))).as("mistyped name").isEmpty();
        assertThat(rows(answerWithVm(vm -> vm.putArray("image")))).as("array for a string").isEmpty();
    }

    @Test
    void anOlderDaemonsUpperCaseStateIsLeftToTheFullCommandWhichPrintsTheWord() throws Exception {
        String legacy = answerWithVm(vm -> vm.put("state", "RUNNING"));

        assertThat(QuickVmList.read(legacy)).as("the quick path prints the answer's own text, so it must not take it").isEmpty();
        VmList decoded = Json.mapper().treeToValue(Json.mapper().readTree(legacy).get("result"), VmList.class);
        assertThat(Json.mapper().writeValueAsString(decoded)).contains("\"state\":\"running\"").doesNotContain("RUNNING");
    }

    @Test
    void theJsonCarriesTheWordTheTableShows() throws Exception {
        QuickVmList.Listing listing = QuickVmList.read(answer(new VmList(List.of(running("a"))))).orElseThrow();

        assertThat(listing.rows().getFirst().get(1)).isEqualTo("running");
        assertThat(listing.json()).contains("\"state\":\"running\"");
    }

    @Test
    void malformedAnswersAreLeftToTheFullCommand() throws Exception {
        String good = answer(new VmList(List.of(running("a"))));

        assertThat(rows(good)).isPresent();
        assertThat(rows(good + " {}")).as("trailing tokens").isEmpty();
        assertThat(rows(good.substring(0, good.length() - 3))).as("truncated").isEmpty();
        assertThat(rows("{\"jsonrpc\":\"2.0\",\"id\":1}")).as("no result").isEmpty();
        assertThat(rows("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"images\":[]}}")).as("other result").isEmpty();
        assertThat(rows("[]")).isEmpty();
    }
}
