package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedProcessTest {
    @TempDir
    Path dir;

    @Test
    void programStartedThroughSetsidLeadsItsOwnSessionUnderTheReturnedPid() throws Exception {
        Path setsid = ProcessHostCommands.resolve("setsid").orElseThrow();
        Path sleep = ProcessHostCommands.resolve("sleep").orElseThrow();
        Process process = DetachedProcess.start(List.of(setsid.toString(), sleep.toString(), "300"), dir.resolve("out.log"));
        try {
            // setsid execs in place, so once the pid shows sleep's command line it is sleep itself.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!DetachedProcess.cmdline(process.pid()).equals(List.of(sleep.toString(), "300"))
                    && System.nanoTime() < deadline) {
                assertThat(process.waitFor(5, TimeUnit.MILLISECONDS)).as("sleep exited early").isFalse();
            }

            assertThat(DetachedProcess.cmdline(process.pid())).containsExactly(sleep.toString(), "300");
            assertThat(sessionId(process.pid())).isEqualTo(process.pid());
            assertThat(sessionId(process.pid())).isNotEqualTo(sessionId(ProcessHandle.current().pid()));
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void outputGoesToTheLogFile() throws Exception {
        Path log = dir.resolve("out.log");
        Path echo = ProcessHostCommands.resolve("echo").orElseThrow();
        Process process = DetachedProcess.start(List.of(echo.toString(), "hello from the child"), log);

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).isEqualTo("hello from the child\n");
    }

    @Test
    void aProgramThatCannotStartIsNamedInTheFailure() {
        Path missing = dir.resolve("no-such-program");

        assertThatThrownBy(() -> DetachedProcess.start(List.of(missing.toString(), "--flag"), dir.resolve("out.log")))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("could not start " + missing + " --flag: ")
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void commandLineOfAGonePidIsEmpty() throws Exception {
        Process process = new ProcessBuilder(ProcessHostCommands.resolve("true").orElseThrow().toString()).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(DetachedProcess.cmdline(process.pid())).isEmpty();
    }

    /** Field 6 of /proc/PID/stat; the command name in field 2 may contain spaces, so count from its ')'. */
    private static long sessionId(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[3]);
    }
}
