package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @TempDir
    Path dir;

    @Test
    void aLongLogGivesItsLastBytesMarkedAsCut() throws IOException {
        Path log = Files.writeString(dir.resolve("long.log"), "line 1\nline 2\nline 3\n");

        LogTail tail = LogTail.read(log, 14);

        assertThat(tail.text()).isEqualTo("line 2\nline 3\n");
        assertThat(tail.truncated()).isTrue();
        assertThat(tail.marked()).isEqualTo("…line 2\nline 3\n");
    }

    @Test
    void aShortLogIsGivenWholeAndUnmarked() throws IOException {
        Path log = Files.writeString(dir.resolve("short.log"), "only line\n");

        LogTail tail = LogTail.read(log, 4096);

        assertThat(tail.text()).isEqualTo("only line\n");
        assertThat(tail.truncated()).isFalse();
        assertThat(tail.marked()).isEqualTo("only line\n");
    }

    @Test
    void anEmptyLogGivesEmptyText() throws IOException {
        Path log = Files.createFile(dir.resolve("empty.log"));

        assertThat(LogTail.read(log, 100)).isEqualTo(new LogTail("", false));
    }

    @Test
    void aMissingLogFailsNamingTheFile() {
        Path log = dir.resolve("absent.log");

        assertThatThrownBy(() -> LogTail.read(log, 100)).isInstanceOf(IOException.class).hasMessageContaining(log.toString());
    }
}
