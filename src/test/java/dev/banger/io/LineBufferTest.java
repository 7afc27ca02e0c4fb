package dev.banger.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineBufferTest {
    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    @Test
    void aLineIsCutAtItsLfAndTheRestStaysInTheSource() throws IOException {
        LineBuffer lines = new LineBuffer(100);
        ByteBuffer source = bytes("one\ntwo\r\nthr");

        assertThat(text(lines.take(source))).isEqualTo("one");
        assertThat(text(lines.take(source))).isEqualTo("two\r");
        assertThat(lines.take(source)).isNull();
        assertThat(text(lines.pending())).isEqualTo("thr");
    }

    @Test
    void aLineSplitAcrossReadsIsJoined() throws IOException {
        LineBuffer lines = new LineBuffer(100);

        assertThat(lines.take(bytes("hel"))).isNull();
        assertThat(text(lines.take(bytes("lo\n")))).isEqualTo("hello");
        assertThat(lines.pending()).isEmpty();
    }

    @Test
    void aLineAtTheCapIsAcceptedOneByteMoreIsRefusedBeforeItsLf() throws IOException {
        assertThat(new LineBuffer(5).take(bytes("12345\n"))).hasSize(5);

        ByteBuffer source = bytes("123456");
        assertThatThrownBy(() -> new LineBuffer(5).take(source))
                .isInstanceOfSatisfying(LineBuffer.TooLongException.class, e -> assertThat(text(e.start())).isEqualTo("12345"))
                .hasMessage("line exceeds 5 bytes");
    }
}
