package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.RecordingHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDiskFactsTest {
    @TempDir
    Path state;
    @TempDir
    Path dev;

    @Test
    void deviceMapperNeedsBothTheControlNodeAndDmsetup() throws IOException {
        Path control = Files.createFile(dev.resolve("control"));
        RecordingHostCommands withDmsetup = new RecordingHostCommands().withPrograms("dmsetup");

        assertThat(HostDiskFacts.probe(withDmsetup, state, control).deviceMapper()).isTrue();
        assertThat(HostDiskFacts.probe(new RecordingHostCommands(), state, control).deviceMapper()).isFalse();
        assertThat(HostDiskFacts.probe(withDmsetup, state, dev.resolve("missing")).deviceMapper()).isFalse();
    }

    @Test
    void reflinkIsTriedForRealInTheStateDirAndTheSampleIsRemoved() throws IOException {
        RecordingHostCommands host = new RecordingHostCommands();

        HostDiskFacts facts = HostDiskFacts.probe(host, state, dev.resolve("missing"));

        assertThat(facts.reflink()).isTrue();
        assertThat(host.recorded()).singleElement().satisfies(argv -> {
            assertThat(argv.subList(0, 2)).isEqualTo(List.of("cp", "--reflink=always"));
            assertThat(Path.of(argv.get(2)).getParent()).isEqualTo(state);
        });
        try (Stream<Path> left = Files.list(state)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailingReflinkCopyMeansNoReflink() {
        RecordingHostCommands host = new RecordingHostCommands()
                .answer(List.of("cp"), 1, "", "cp: failed to clone: Operation not supported");

        assertThat(HostDiskFacts.probe(host, state, dev.resolve("missing")).reflink()).isFalse();
    }

    @Test
    void anUnwritableStateDirMeansNoReflinkWithoutRunningCp() {
        RecordingHostCommands host = new RecordingHostCommands();

        assertThat(HostDiskFacts.probe(host, state.resolve("absent"), dev.resolve("missing")).reflink()).isFalse();
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aProbeAssumesARawOnlyBackendUntilToldOtherwise() {
        HostDiskFacts facts = HostDiskFacts.probe(new RecordingHostCommands(), state, dev.resolve("missing"));

        assertThat(facts.qcow2Backend()).isFalse();
        assertThat(facts.withQcow2Backend(true)).isEqualTo(new HostDiskFacts(facts.deviceMapper(), facts.reflink(), true));
    }
}
