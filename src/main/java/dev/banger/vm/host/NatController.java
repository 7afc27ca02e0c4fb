package dev.banger.vm.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.capability.NatControl;
import dev.banger.config.NatMode;
import dev.banger.host.net.HostNetwork;
import dev.banger.host.net.NatHandles;
import dev.banger.store.StoredJson;
import dev.banger.store.SettingsRepository;
import dev.banger.vm.state.VmException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the host's NAT rules for the guest subnet: installed while any VM exists
 * (begun in the background by a create, awaited before its guest runs), removed with the last VM
 * by the handles recorded before they were installed, so a daemon killed meanwhile removes them at
 * its next start. Creates, rollbacks, deletes and reconcile all go through it. Thread-safe.
 */
public final class NatController implements NatControl {
    private static final Logger LOG = LoggerFactory.getLogger(NatController.class);
    public static final String NAT_SETTING = "network.nat";

    private final HostNetwork network;
    private final NatMode mode;
    private volatile SettingsRepository settings;
    private boolean installed;
    /** The latest background install {@link #startNat} began; guarded by {@code installLock}, not {@code this}, which the install holds. */
    private CompletableFuture<Void> install = CompletableFuture.completedFuture(null);
    private final Object installLock = new Object();

    public NatController(HostNetwork network, NatMode mode) {
        this.network = network;
        this.mode = mode;
    }

    /** Where the handles are recorded; set when the host starts, before any install. */
    public void useSettings(SettingsRepository settings) {
        this.settings = settings;
    }

    /**
     * Installs the masquerade rules unless they are (NAT off installs nothing), recording their
     * handles first; the first VM to need them pays for it once.
     */
    public synchronized void ensureInstalled() {
        if (ready()) {
            return;
        }
        // Recorded before the rules exist: a daemon killed while nft runs (nft itself finishes)
        // leaves its next start the handles to remove them by.
        record(network.plannedNat());
        try {
            network.installNat();
        } catch (RuntimeException e) {
            settings.remove(NAT_SETTING);
            throw e;
        }
        installed = true;
    }

    private void record(NatHandles handles) {
        try {
            settings.put(NAT_SETTING, StoredJson.mapper().writeValueAsString(handles));
        } catch (JsonProcessingException e) {
            throw VmException.failed("cannot record the NAT handles: " + e.getOriginalMessage());
        }
    }

    /** {@link #ensureInstalled} on a virtual thread, unless the rules are there or an install is under way. */
    @Override
    public void startNat() {
        synchronized (installLock) {
            if (install.isDone() && !ready()) {
                install = CompletableFuture.runAsync(this::ensureInstalled,
                        task -> Thread.ofVirtual().name("nat-install").start(task));
            }
        }
    }

    private synchronized boolean ready() {
        return installed || mode == NatMode.OFF;
    }

    @Override
    public void awaitNat() {
        CompletableFuture<Void> current;
        synchronized (installLock) {
            current = install;
        }
        try {
            current.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Removes the rules once no VM is left, by the handles recorded when they were installed; with
     * no recorded handles (lost, or never installed) nothing is touched. An install still under way
     * ends first, so it cannot put the rules back after they were removed.
     */
    public void removeIfUnused(boolean vmsLeft) {
        try {
            awaitNat();
        } catch (RuntimeException failedInstall) {
            // Its failure was reported to the create that began it; what it left is removed below.
        }
        removeNow(vmsLeft);
    }

    private synchronized void removeNow(boolean vmsLeft) {
        if (vmsLeft || settings == null) {
            return;
        }
        Optional<String> recorded = settings.get(NAT_SETTING);
        if (recorded.isEmpty()) {
            LOG.info("no NAT handles recorded; leaving the firewall alone");
            installed = false;
            return;
        }
        try {
            NatHandles handles = StoredJson.mapper().readValue(recorded.get(), NatHandles.class);
            LOG.info("last VM gone; NAT rules removed: {}", network.removeNat(handles));
        } catch (JsonProcessingException e) {
            LOG.warn("the recorded NAT handles cannot be read ({}); leaving the firewall alone", e.getOriginalMessage());
        }
        settings.remove(NAT_SETTING);
        installed = false;
    }
}
