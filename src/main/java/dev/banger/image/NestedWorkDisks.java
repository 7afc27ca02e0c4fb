package dev.banger.image;

import dev.banger.host.disk.Ext4Tool;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Repairs a work disk whose home tree was left under {@code root/} (an old seed layout), so the
 * guest finds {@code .bashrc} at {@code /root/.bashrc}. It lives beside {@link WorkSeedLayout},
 * which knows the layouts, and asks {@link Ext4Tool} only for the disk operations. The disk must
 * not be in use by a VM. Safe for concurrent use on different disks.
 */
public final class NestedWorkDisks {
    private final Ext4Tool ext4;

    public NestedWorkDisks(Ext4Tool ext4) {
        this.ext4 = Objects.requireNonNull(ext4, "ext4");
    }

    /**
     * Flattens the disk if it is nested. Detects with debugfs (read-only); only a nested disk is
     * loop-mounted, flattened with {@link WorkSeedFlattener}, and unmounted whatever happens.
     *
     * @return whether anything was moved; false for a flat (or empty) disk, which is not even mounted
     * @throws ImageException when the layout is ambiguous (see {@link WorkSeedLayout#classify})
     * @throws dev.banger.host.disk.DiskException when the image cannot be read, mounted or unmounted
     */
    public boolean repair(Path ext4Image) {
        Ext4Tool.Listing top = ext4.list(ext4Image, "/");
        Set<String> nested = top.hasDirectory(WorkSeedLayout.NESTED_DIR)
                ? ext4.list(ext4Image, "/" + WorkSeedLayout.NESTED_DIR).names()
                : Set.of();
        if (WorkSeedLayout.classify(WorkSeedLayout.Listing.of(top.names(), nested)) == WorkSeedLayout.Kind.FLAT) {
            return false;
        }
        return ext4.mounted(ext4Image, "flattened the work disk", root -> !WorkSeedFlattener.flatten(root).isEmpty());
    }
}
