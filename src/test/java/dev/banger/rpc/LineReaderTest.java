package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static LineReader reader(String text, int cap) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cap);
    }

    @Test
    void readsLinesAndStripsCarriageReturns() throws IOException {
        LineReader reader = reader("one\r\ntwo\nthree-unterminated", 100);
        assertThat(reader.readLine()).isEqualTo("one");
        assertThat(reader.readLine()).isEqualTo("two");
        // A final line without a newline was cut off by a disconnect: it is never executed.
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void lineOverTheCapIsRefusedEvenWhenTerminated() {
        LineReader reader = reader("x".repeat(101) + "\n", 100);
        assertThatThrownBy(reader::readLine).isInstanceOf(LineReader.LineTooLongException.class);
    }

    @Test
    void lineOverTheCapIsRefusedWithoutBufferingItAll() {
        LineReader reader = new LineReader(new java.io.InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        }, 20_000);
        assertThatThrownBy(reader::readLine).isInstanceOf(LineReader.LineTooLongException.class);
    }

    @Test
    void lineExactlyAtTheCapIsAccepted() throws IOException {
        assertThat(reader("y".repeat(100) + "\n", 100).readLine()).hasSize(100);
    }

    @Test
    void multiByteCharactersSurviveBufferBoundaries() throws IOException {
        String text = "é".repeat(10_000);
        assertThat(reader(text + "\n", 100_000).readLine()).isEqualTo(text);
    }
}
