package dev.banger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "512M, 536870912",
        "8G, 8589934592",
        "1T, 1099511627776",
        "8g, 8589934592",
        "8GiB, 8589934592",
        "8GB, 8589934592",
        "' 2 G ', 2147483648",
        "1.5G, 1610612736",
        "4096B, 4096",
        "64K, 65536",
        "64T, 70368744177664",
    })
    void parsesSizesWithBinaryUnits(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            8X      | is not a size
            ''      | is not a size
            G       | is not a size
            1e9G    | is not a size
            8       | has no unit
            -1G     | is negative
            0M      | is zero
            0.0000000001K | is less than one byte
            65T     | is absurdly large: the maximum is 64T
            2P      | is absurdly large
            99999999999999999999999T | is absurdly large
            """)
    void rejectsBadSizesSayingWhy(String text, String reason) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"" + text + "\" " + reason);
    }

    @Test
    void optionNameLeadsTheMessage() {
        assertThatThrownBy(() -> ByteSize.parse("--disk", "lots"))
                .hasMessageStartingWith("--disk: \"lots\" is not a size");
    }

    @Test
    void printsTheLargestExactUnit() {
        assertThat(ByteSize.parse("8G")).hasToString("8G");
        assertThat(ByteSize.parse("1.5G")).hasToString("1536M");
        assertThat(new ByteSize(4097)).hasToString("4097B");
        assertThat(ByteSize.parse(ByteSize.parse("1536M").toString())).isEqualTo(ByteSize.parse("1.5G"));
    }

    @Test
    void reportsWholeMebibytes() {
        assertThat(ByteSize.parse("1G").mebibytes()).isEqualTo(1024);
        assertThat(ByteSize.parse("1G").isWholeMebibytes()).isTrue();
        assertThat(ByteSize.parse("1025K").isWholeMebibytes()).isFalse();
    }
}
