package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The leniency stored records were written under, held so rows and state files keep reading. */
class StoredJsonTest {
    record Sample(Path dir, Instant at, Optional<String> note, long size) {}

    @Test
    void pathsAreStoredAsPlainStringsAndTimesAsIsoStrings() throws Exception {
        Sample sample = new Sample(Path.of("/var/lib/banger/vms/dev1"), Instant.parse("2026-11-23T10:15:30Z"), Optional.empty(), 7);

        String json = StoredJson.mapper().writeValueAsString(sample);

        assertThat(json).isEqualTo("{\"dir\":\"/var/lib/banger/vms/dev1\",\"at\":\"2026-11-23T10:15:30Z\",\"note\":null,\"size\":7}");
        assertThat(StoredJson.mapper().readValue(json, Sample.class)).isEqualTo(sample);
    }

    @Test
    void anUnknownFieldIsAnErrorRatherThanSilentlyDropped() {
        assertThatThrownBy(() -> StoredJson.mapper().readValue("{\"dir\":\"/d\",\"at\":null,\"note\":null,\"size\":1,\"extra\":1}",
                Sample.class)).isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void aMissingPrimitiveAndTrailingTokensAreErrors() {
        assertThatThrownBy(() -> StoredJson.mapper().readValue("{\"dir\":\"/d\",\"size\":null}", Sample.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> StoredJson.mapper().readValue("{\"dir\":\"/d\",\"size\":1} {}", Sample.class))
                .isInstanceOf(MismatchedInputException.class);
    }
}
