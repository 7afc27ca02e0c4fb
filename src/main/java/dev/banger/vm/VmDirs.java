package dev.banger.vm;

import java.nio.file.Path;

/** Where VMs live on the host: {@code <state>/vms/<name>/}. Immutable value; names are validated before they get here. */
record VmDirs(Path stateDir) {
    Path root() {
        return stateDir.resolve("vms");
    }

    Path of(String name) {
        return root().resolve(name);
    }
}
