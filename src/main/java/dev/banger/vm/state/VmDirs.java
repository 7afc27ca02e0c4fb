package dev.banger.vm.state;

import java.nio.file.Path;

/** Where VMs live on the host: {@code <state>/vms/<name>/}. Immutable value; names are validated before they get here. */
public record VmDirs(Path stateDir) {
    public Path root() {
        return stateDir.resolve("vms");
    }

    public Path of(String name) {
        // Defence in depth: a name that slipped past validation must not become a path outside vms/.
        if (!VmRules.isValidName(name)) {
            throw VmException.invalid("invalid VM name '" + name + "'");
        }
        return root().resolve(name);
    }
}
