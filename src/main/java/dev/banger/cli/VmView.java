package dev.banger.cli;

import dev.banger.model.Vm;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Human renderings shared by the {@code vm} commands: sizes, VM fields, table rows. Stateless. */
final class VmView {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    private VmView() {}

    /** {@code 8 GiB}, {@code 7.5 GiB}, {@code 0.25 GiB}. */
    static String gib(long bytes) {
        return number(bytes / GIB) + " GiB";
    }

    static String mib(long bytes) {
        return number(bytes / MIB) + " MiB";
    }

    /** At most two decimals, trailing zeros dropped. */
    static String number(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    static List<String[]> fields(VmInfo vm) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"name", vm.name()});
        fields.add(new String[] {"state", vm.state().wireName()});
        fields.add(new String[] {"image", text(vm.image())});
        fields.add(new String[] {"vmm", vm.acceleration() == null ? text(vm.vmm()) : text(vm.vmm()) + " (" + vm.acceleration() + ")"});
        fields.add(new String[] {"vcpus", Integer.toString(vm.vcpus())});
        fields.add(new String[] {"memory", vm.memoryMib() + " MiB"});
        fields.add(new String[] {"disk", gib(vm.diskBytes())});
        fields.add(new String[] {"ip", text(vm.ip())});
        fields.add(new String[] {"dns name", text(vm.dnsName())});
        fields.add(new String[] {"mac", text(vm.mac())});
        fields.add(new String[] {"vsock cid", Long.toString(vm.vsockCid())});
        fields.add(new String[] {"tap", text(vm.tap())});
        fields.add(new String[] {"pid", text(vm.pid())});
        fields.add(new String[] {"root disk", text(vm.rootDisk())});
        fields.add(new String[] {"vm dir", text(vm.vmDir())});
        fields.add(new String[] {"ports", vm.ports().isEmpty() ? "-" : String.join(", ", vm.ports().stream()
                .map(p -> p.hostAddress() + ":" + p.hostPort() + " -> " + p.guestPort() + "/" + p.protocol()).toList())});
        for (var share : vm.shares()) {
            fields.add(new String[] {"share", share.guestPath() + " <- " + share.hostPath() + (share.readOnly() ? " (read-only)" : "")});
        }
        fields.add(new String[] {"created", instant(vm.createdAt())});
        fields.add(new String[] {"updated", instant(vm.updatedAt())});
        return fields;
    }

    /** The columns of {@code banger vm list}. */
    static final List<String> LIST_HEADER = List.of("NAME", "STATE", "IMAGE", "IP", "VCPUS", "MEMORY", "DISK", "VMM");

    static List<String> row(VmInfo vm) {
        return row(vm.name(), vm.state(), vm.image(), vm.ip(), vm.vcpus(), vm.memoryMib(), vm.diskBytes(), vm.vmm());
    }

    /** One {@code banger vm list} row from the fields it shows (also read without databind by {@link QuickVmList}). */
    static List<String> row(String name, VmState state, String image, String ip, int vcpus, int memoryMib, long diskBytes,
            String vmm) {
        return List.of(name, state.wireName(), text(image), text(ip), Integer.toString(vcpus), memoryMib + " MiB",
                gib(diskBytes), text(vmm));
    }

    /** {@code banger vm list}'s human output: the table, or how to make a first VM. */
    static void printList(Printer printer, List<List<String>> rows) {
        if (rows.isEmpty()) {
            printer.line("no VMs; create one with: banger vm create");
        } else {
            printer.table(LIST_HEADER, rows);
        }
    }

    private static String instant(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    /** Rejects a malformed VM name before it reaches the daemon or a file name. */
    static String requireName(CommandSpec spec, String name) {
        if (!Vm.isValidName(name)) {
            throw new ParameterException(spec.commandLine(), "invalid VM name '" + name
                    + "': use lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters");
        }
        return name;
    }

    /** Rejects a size or count below one. */
    static void requirePositive(CommandSpec spec, String option, Integer value) {
        if (value != null && value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, not " + value);
        }
    }
}
