package dev.banger.vm;

import dev.banger.config.VmDefaults;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmRules;
import dev.banger.vm.warm.WarmMachines;

/**
 * Brings the host up for VMs once: reconcile the store with the host, start the host network, and
 * point the warm pool at the default image at the default size. It runs at daemon start when VMs
 * exist, else before the first create or start runs, so a daemon that only builds images never
 * touches the host's network. A failure is latched and reported to every later VM request.
 * Thread-safe.
 */
final class HostStartup {
    private final VmReconciler reconciler;
    private final ImagePolicy images;
    private final WarmMachines warm;
    private final VmDefaults defaults;
    private volatile boolean started;
    private RuntimeException problem;

    HostStartup(VmReconciler reconciler, ImagePolicy images, WarmMachines warm, VmDefaults defaults) {
        this.reconciler = reconciler;
        this.images = images;
        this.warm = warm;
        this.defaults = defaults;
    }

    synchronized void ensureStarted() {
        if (started) {
            return;
        }
        if (problem != null) {
            throw problem;
        }
        try {
            reconciler.reconcileAndStart();
            started = true;
            // The pool's first shape: what a create that names nothing gets.
            images.findDefault().flatMap(image -> ImagePolicy.warmShape(image, defaults.vcpus(), VmRules.defaultMemoryMib(defaults),
                    defaults.disk().bytes())).ifPresent(warm::want);
        } catch (RuntimeException e) {
            problem = VmException.precondition("the host network for VMs could not be set up: " + e.getMessage()
                    + "; fix it (see 'banger doctor') and restart bangerd");
            throw problem;
        }
    }

    /** Whether the host is up (reconcile done); before that nothing runs that a watch could see die. */
    boolean started() {
        return started;
    }
}
