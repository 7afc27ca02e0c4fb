package dev.banger.vmm.qemu;

/**
 * How QEMU executes guest code: hardware virtualisation or the TCG emulator. The caller decides
 * from doctor's KVM verdict, which boots a real guest, because opening {@code /dev/kvm} proves
 * nothing on hosts such as {@code kvm_pvm}. Immutable.
 */
public enum QemuAccel {
    KVM("kvm", "host"),
    TCG("tcg", "max");

    private final String accelName;
    private final String cpuModel;

    QemuAccel(String accelName, String cpuModel) {
        this.accelName = accelName;
        this.cpuModel = cpuModel;
    }

    /**
     * KVM when doctor has seen it run an ordinary guest kernel, else TCG.
     *
     * @param kvmRunsOrdinaryGuests doctor's verdict for this host, as supplied by the caller
     */
    public static QemuAccel choose(boolean kvmRunsOrdinaryGuests) {
        return kvmRunsOrdinaryGuests ? KVM : TCG;
    }

    /** The value of QEMU's {@code -accel} option. */
    public String accelName() {
        return accelName;
    }

    /** The value of {@code -cpu}: the host's own model under KVM, the emulator's richest under TCG. */
    public String cpuModel() {
        return cpuModel;
    }
}
