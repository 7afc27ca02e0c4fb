package dev.banger.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The Void-only edits the Void builder makes to its root before the shared customisation, as pure
 * text transforms: {@code sshd_config} made to read the {@code sshd_config.d} drop-ins (Void's
 * upstream config does not, Debian's does), root's login shell set to bash, and a dracut
 * configuration for a generic initramfs that finds a virtio root disk, plus the dracut run itself.
 * Stateless and thread-safe.
 */
final class VoidSystemFiles {
    static final String SSHD_CONFIG = "/etc/ssh/sshd_config";
    static final String PASSWD = "/etc/passwd";
    static final String DRACUT_CONF = "/etc/dracut.conf.d/50-banger.conf";
    static final String ROOT_SHELL = "/bin/bash";
    private static final String INCLUDE = "Include /etc/ssh/sshd_config.d/*.conf";

    private VoidSystemFiles() {}

    /**
     * {@code sshd_config} with the drop-in include as its first directive: sshd keeps the first
     * value it reads for a keyword, so the include must come before the file's own settings.
     */
    static String sshdConfigWithDropIns(String config) {
        for (String line : config.split("\\R")) {
            if (line.strip().matches("(?i)include\\s+/etc/ssh/sshd_config\\.d/\\*\\.conf")) {
                return config;
            }
        }
        return "# banger: read the drop-ins first (sshd keeps the first value of a keyword).\n" + INCLUDE + "\n\n" + config;
    }

    /** {@code /etc/passwd} with root's shell replaced by {@code shell}; fails when there is no root entry. */
    static String passwdWithRootShell(String passwd, String shell) {
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String line : passwd.split("\\R")) {
            String[] fields = line.split(":", -1);
            if (fields.length == 7 && fields[0].equals("root")) {
                fields[6] = shell;
                line = String.join(":", fields);
                found = true;
            }
            lines.add(line);
        }
        if (!found) {
            throw ImageException.precondition("the Void root's /etc/passwd has no root entry; is base-files installed?");
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * A host-independent initramfs: the build host's hardware must not decide which drivers the
     * guest's initramfs carries, and the guest's disks and NIC are virtio on PCI or MMIO.
     */
    static String dracutConf() {
        return """
                # banger: a generic initramfs for virtio guests (QEMU and Firecracker).
                hostonly="no"
                add_drivers+=" virtio_pci virtio_mmio virtio_blk virtio_net ext4 "
                compress="gzip"
                """;
    }

    /** Regenerates the initramfs of kernel {@code version} inside the root, where the kernel's own modules are. */
    static List<String> dracutArgv(String version) {
        if (!version.matches("[0-9][A-Za-z0-9._+-]*")) {
            throw ImageException.precondition("'" + version + "' is not a kernel version");
        }
        return List.of("dracut", "--force", "--no-hostonly", "/boot/initramfs-" + version + ".img", version);
    }
}
