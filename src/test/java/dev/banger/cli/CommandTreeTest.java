package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandTreeTest {
    private static Map<String, CommandLine> groups(CommandLine root) {
        return root.getSubcommands();
    }

    @Test
    void aRunBuildsOnlyTheGroupAndTheLeafItNames() {
        CommandLine root = CommandTree.forArgs(new String[] {"vm", "list", "--json"});

        assertThat(groups(root)).containsOnlyKeys("vm");
        assertThat(groups(root).get("vm").getSubcommands()).containsOnlyKeys("list");
    }

    @Test
    void noKnownGroupGetsEveryGroupForHelpAndSuggestions() {
        assertThat(groups(CommandTree.forArgs(new String[] {"--help"})))
                .containsOnlyKeys("daemon", "doctor", "runtime", "image", "vm", "bench", "completion");
        assertThat(groups(CommandTree.forArgs(new String[] {"vn", "list"}))).containsKeys("vm", "image");
    }

    @Test
    void anUnknownGroupGetsTheUsageWithEveryGroup() {
        StringWriter err = new StringWriter();
        CommandLine root = CommandTree.forArgs(new String[] {"vn", "list"});
        root.setErr(new PrintWriter(err));

        int exit = root.execute("vn", "list");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'vn'").contains("image ").contains("vm ").contains("bench ");
    }

    @Test
    void aGroupWithoutAKnownLeafGetsAllItsLeavesForHelpAndSuggestions() {
        assertThat(groups(CommandTree.forArgs(new String[] {"vm", "--help"})).get("vm").getSubcommands())
                .hasSize(17).containsKeys("create", "ssh", "exec", "cp", "port", "share", "unshare");
        assertThat(groups(CommandTree.forArgs(new String[] {"image", "lst"})).get("image").getSubcommands())
                .containsKeys("list", "build");
    }

    @Test
    void theFullTreeHoldsEveryCommand() {
        CommandLine full = CommandTree.full();

        assertThat(full.getSubcommands().values().stream().mapToInt(c -> c.getSubcommands().size()).sum())
                .isEqualTo(3 + 4 + 9 + 17 + 1 + 1);
    }

    @Test
    void vmPortHoldsListAddAndRm() {
        CommandLine port = CommandTree.forArgs(new String[] {"vm", "port", "add"}).getSubcommands().get("vm").getSubcommands().get("port");

        assertThat(port.getSubcommands()).containsOnlyKeys("list", "add", "rm");
    }

    @Test
    void aRunOfAnUnknownLeafStillSuggestsTheRightOne() {
        StringWriter err = new StringWriter();
        CommandLine root = CommandTree.forArgs(new String[] {"vm", "lsit"});
        root.setErr(new PrintWriter(err));

        int exit = root.execute("vm", "lsit");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("lsit").contains("Did you mean: vm ");
    }
}
