package dev.banger.vm.boot;

import dev.banger.model.HealthReport;
import dev.banger.model.Image;
import dev.banger.model.Vm;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.state.RuntimeRecord;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.util.List;

/**
 * One run of the {@link BootSequence} for one VM (a create's, or a start's): what it boots and
 * what each step leaves for the next. Its steps run one after another on one thread.
 */
public final class BootJob {
    final Vm vm;
    final Image image;
    final List<String> services;
    final Vmm vmm;
    final RuntimeRecord runtime;
    final UndoLog undos;
    /** The create's place at the {@link GuestStartGate}, or null (a start waits for no cohort). */
    final GuestStartGate.Pass cohort;
    /** A warm machine already running paused as this VM, or null to start one from the spec. */
    final VmmInstance adopted;
    /** How the plan expected the machine to run, for a backend that does not say; null for a start. */
    final Acceleration planned;
    /** Whether the guest takes its SSH host key from the config drive (read once from the image's manifest). */
    final boolean hostKeyOnDrive;
    /** The golden snapshot this VM is restored from, or null for a boot. */
    GoldenSnapshot restoring;
    /** The work disk's asked size, which a restored guest is grown to. */
    long diskBytes;
    BootWaiter waiter;
    /** False only under the soak's test-only switch ({@link BootSequence#skipGuestWaits}). */
    boolean awaitGuest = true;
    MachineSpec spec;
    VmmInstance instance;
    BootDeadlines deadlines;
    HealthReport ready;

    public BootJob(Vm vm, Image image, List<String> services, Vmm vmm, RuntimeRecord runtime, UndoLog undos, GuestStartGate.Pass cohort,
            VmmInstance adopted, Acceleration planned) {
        this.vm = vm;
        this.image = image;
        this.services = List.copyOf(services);
        this.vmm = vmm;
        this.runtime = runtime;
        this.undos = undos;
        this.cohort = cohort;
        this.adopted = adopted;
        this.planned = planned;
        this.hostKeyOnDrive = Machines.takesHostKey(image);
    }

    /** This VM loads {@code snapshot} instead of booting ({@link RestoreStep}), its work disk then grown to {@code bytes}. */
    public void restoreFrom(GoldenSnapshot snapshot, long bytes) {
        this.restoring = snapshot;
        this.diskBytes = bytes;
    }

    /** The started (or adopted) machine, once vmm-start ran. */
    public VmmInstance instance() {
        return instance;
    }

    public String name() {
        return vm.name();
    }

    /** What the machine really runs with; the plan's when the backend does not say (null when neither does). */
    public Acceleration acceleration() {
        return instance.acceleration() != null ? instance.acceleration() : planned;
    }
}
