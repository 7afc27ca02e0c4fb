package dev.banger.vm.state;

import dev.banger.config.VmDefaults;
import dev.banger.model.Vm;

/**
 * The one set of rules a VM's name and sizes must meet, checked once where a request enters
 * (create and prepare through {@link dev.banger.vm.CreateRequest#check}, edit) with messages that
 * say what is allowed. Pure.
 */
public final class VmRules {
    public static final long GIB = 1L << 30;

    private VmRules() {}

    public static int defaultMemoryMib(VmDefaults defaults) {
        return (int) (defaults.memory().bytes() >> 20);
    }

    /** 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit. */
    public static boolean isValidName(String name) {
        return Vm.isValidName(name) && !name.endsWith("-");
    }

    public static String requireName(String name) {
        if (!isValidName(name)) {
            throw VmException.invalid("VM name '" + name + "' is invalid: use 1 to 63 lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit (e.g. dev1)");
        }
        return name;
    }

    public static void requireSizes(int vcpus, int memoryMib, long diskBytes) {
        requireVcpus(vcpus);
        requireMemory(memoryMib);
        if (diskBytes < GIB || diskBytes > (64L << 40)) {
            throw VmException.invalid("disk must be 1 to 65536 GiB, got " + (diskBytes / (double) GIB) + " GiB");
        }
    }

    public static void requireVcpus(int vcpus) {
        if (vcpus < 1 || vcpus > 32) {
            throw VmException.invalid("vcpus must be 1 to 32, got " + vcpus);
        }
    }

    public static void requireMemory(int memoryMib) {
        if (memoryMib < 128 || memoryMib > 1024 * 1024) {
            throw VmException.invalid("memory must be 128 to 1048576 MiB, got " + memoryMib);
        }
    }

    public static VmException nameTaken(String name) {
        return VmException.conflict("a VM named '" + name + "' already exists; pick another name or delete it first");
    }
}
