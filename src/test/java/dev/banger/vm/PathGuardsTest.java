package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.banger.image.ImageLayout;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.vm.state.VmDirs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two places that turn names into state-dir paths refuse any name that is not a validated one. */
class PathGuardsTest {
    private static final Path STATE = Path.of("/var/lib/banger");
    private static final List<String> HOSTILE = List.of("", ".", "..", "../../etc", "/etc/passwd", "a/b", "a\u0000b", "a;id",
            "$(id)", "`id`", "a\nb", "Dev1", "dév", "a".repeat(64), "-rf");

    @Test
    void vmDirsRefuseNamesThatAreNotValidVmNames() {
        VmDirs dirs = new VmDirs(STATE);
        for (String name : HOSTILE) {
            Throwable thrown = catchThrowable(() -> dirs.of(name));
            assertThat(thrown).as(name).isInstanceOf(BangerException.class);
            assertThat(((BangerException) thrown).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
        assertThat(dirs.of("dev1")).isEqualTo(STATE.resolve("vms/dev1"));
    }

    @Test
    void imageLayoutsRefuseNamesThatAreNotValidImageNames() {
        for (String name : HOSTILE) {
            Throwable thrown = catchThrowable(() -> ImageLayout.of(STATE, name));
            assertThat(thrown).as(name).isInstanceOf(BangerException.class);
            assertThat(((BangerException) thrown).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
        assertThat(ImageLayout.of(STATE, "debian-12").dir()).isEqualTo(STATE.resolve("images/debian-12"));
    }
}
