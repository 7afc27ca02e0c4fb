package dev.banger.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code image.show}: the image, its manifest as written at build or import time (JSON text), and
 * the VMs made from it. Immutable value.
 *
 * @param image    the stored image
 * @param manifest the manifest JSON
 * @param vms       names of the VMs made from it, sorted
 * @param snapshots its golden snapshots, one per shape
 */
public record ImageDetails(Image image, String manifest, List<String> vms, List<ImageSnapshot> snapshots) {
    public ImageDetails {
        Objects.requireNonNull(image, "image");
        vms = List.copyOf(vms);
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    public ImageDetails(Image image, String manifest, List<String> vms) {
        this(image, manifest, vms, List.of());
    }
}
