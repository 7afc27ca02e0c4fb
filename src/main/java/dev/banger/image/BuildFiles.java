package dev.banger.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The file steps every image builder takes, failing with an {@link ImageException} that names the file. Stateless. */
final class BuildFiles {
    private BuildFiles() {}

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ImageException.io("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw ImageException.io("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        try {
            GuestTree.deleteTree(dir);
        } catch (IOException e) {
            throw ImageException.io("cannot remove the build tree " + dir + ": " + e.getMessage(), e);
        }
    }
}
