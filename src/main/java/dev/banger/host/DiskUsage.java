package dev.banger.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host bytes files occupy: their allocated blocks, through {@code du}, so a sparse file (a
 * guest's memory, an overlay) counts what it holds rather than its length. The JDK reads a file's
 * length but not its blocks. Stateless.
 */
public final class DiskUsage {
    private DiskUsage() {}

    /** The bytes allocated to {@code paths} (files or whole directories) together; 0 for none. */
    public static long allocatedBytes(HostCommands commands, List<Path> paths) {
        if (paths.isEmpty()) {
            return 0;
        }
        List<String> argv = new ArrayList<>(List.of("du", "--block-size=1", "--summarize", "--total"));
        paths.forEach(path -> argv.add(path.toString()));
        String[] lines = commands.run(Command.of(argv)).stdout().strip().split("\\R");
        return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
    }
}
