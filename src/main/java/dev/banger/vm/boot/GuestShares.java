package dev.banger.vm.boot;

import dev.banger.model.Vm;
import java.nio.file.Path;
import java.util.List;

/**
 * What the boot's last stage asks of the VM's shared directories: mount them in the guest once its
 * sshd runs ({@link SharesStep}), and end them when the boot is undone. Implementations are
 * thread-safe.
 */
public interface GuestShares {
    /** No shares (golden machines, tests). */
    GuestShares NONE = new GuestShares() {
        @Override
        public void attach(Vm vm, Path vmDir, List<String> hostKeys) {}

        @Override
        public void detach(String vm) {}
    };

    /** Mounts every share of the VM in its guest, or fails naming the one that did not mount. */
    void attach(Vm vm, Path vmDir, List<String> hostKeys);

    /** Ends the VM's share sessions; nothing when it has none. */
    void detach(String vm);
}
