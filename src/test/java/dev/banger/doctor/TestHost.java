package dev.banger.doctor;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A pretend host under a temp dir: {@code root/} stands for {@code /} (add {@code dev/kvm} and
 * friends with {@link #touch}), and banger's state and cache dirs live beside it.
 */
final class TestHost {
    final Path root;
    final BangerPaths paths;

    TestHost(Path tempDir) {
        this.root = tempDir.resolve("root");
        this.paths = new BangerPaths(tempDir.resolve("state"), tempDir.resolve("run"), tempDir.resolve("cache"),
                tempDir.resolve("config.toml"));
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates {@code absolute} (e.g. {@code /dev/kvm}) under the pretend root, with {@code content}. */
    TestHost touch(String absolute, String content) {
        Path file = root.resolve(absolute.substring(1));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    TestHost touch(String absolute) {
        return touch(absolute, "");
    }

    TestHost mkdir(String absolute) {
        try {
            Files.createDirectories(root.resolve(absolute.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    DoctorContext context(HostCommands host, BangerConfig config) {
        return new DoctorContext(host, paths, config, DoctorContext.noGuestKernel(), root);
    }

    DoctorContext context(HostCommands host, BangerConfig config, Path guestKernel) {
        return new DoctorContext(host, paths, config, () -> Optional.of(guestKernel), root);
    }
}
