package dev.banger.vm;

import dev.banger.config.VmDefaults;
import dev.banger.model.Vm;

/**
 * The one set of rules a VM's name and sizes must meet, checked once where a request enters
 * (create, prepare, edit) with messages that say what is allowed. Pure.
 */
final class VmRules {
    static final long GIB = 1L << 30;

    private VmRules() {}

    /** A create request with the defaults filled in and every rule met; {@code name} null means generate one. */
    record CheckedCreate(String name, String image, int vcpus, int memoryMib, long diskBytes, boolean slowPath) {}

    static CheckedCreate check(CreateRequest request, VmDefaults defaults) {
        if (request.name() != null) {
            requireName(request.name());
        }
        int vcpus = request.vcpus() == null ? defaults.vcpus() : request.vcpus();
        int memory = request.memoryMib() == null ? defaultMemoryMib(defaults) : request.memoryMib();
        long disk = request.diskGib() == null ? defaults.disk().bytes() : request.diskGib() * GIB;
        requireSizes(vcpus, memory, disk);
        return new CheckedCreate(request.name(), request.image(), vcpus, memory, disk, request.slowPath());
    }

    static int defaultMemoryMib(VmDefaults defaults) {
        return (int) (defaults.memory().bytes() >> 20);
    }

    /** 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit. */
    static boolean isValidName(String name) {
        return Vm.isValidName(name) && !name.endsWith("-");
    }

    static String requireName(String name) {
        if (!isValidName(name)) {
            throw VmException.invalid("VM name '" + name + "' is invalid: use 1 to 63 lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit (e.g. dev1)");
        }
        return name;
    }

    static void requireSizes(int vcpus, int memoryMib, long diskBytes) {
        if (vcpus < 1 || vcpus > 32) {
            throw VmException.invalid("vcpus must be 1 to 32, got " + vcpus);
        }
        if (memoryMib < 128 || memoryMib > 1024 * 1024) {
            throw VmException.invalid("memory must be 128 to 1048576 MiB, got " + memoryMib);
        }
        if (diskBytes < GIB || diskBytes > (64L << 40)) {
            throw VmException.invalid("disk must be 1 to 65536 GiB, got " + (diskBytes / (double) GIB) + " GiB");
        }
    }

    static VmException nameTaken(String name) {
        return VmException.conflict("a VM named '" + name + "' already exists; pick another name or delete it first");
    }
}
