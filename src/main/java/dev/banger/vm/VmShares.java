package dev.banger.vm;

import dev.banger.model.ErrorKind;
import dev.banger.model.Share;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.store.ShareRepository;
import dev.banger.vm.boot.GuestShares;
import dev.banger.vm.host.ShareSessions;
import dev.banger.vm.state.ShareRules;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's shared host directories: checked ({@link ShareRules}) before anything happens, recorded
 * with the VM ({@link ShareRepository}), mounted in the guest at every boot once sshd runs
 * ({@link GuestShares}, the boot's shares stage), added and removed on a running VM at once and on
 * a stopped one at its next start, ended when it stops or goes ({@link ShareSessions}), and
 * mounted again in the running VMs when the daemon starts. A create's shares are held here until
 * its row exists, so the configuration it boots with already names them. Thread-safe.
 */
public final class VmShares implements GuestShares {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");

    private final ShareRepository rows;
    private final ShareSessions sessions;
    private final VmLifecycle lifecycle;
    private final VmLocks locks;
    private final Path stateDir;
    /** The shares of creates under way, whose rows do not exist yet. */
    private final Map<String, List<Share>> creating = new ConcurrentHashMap<>();

    VmShares(ShareRepository rows, ShareSessions sessions, VmLifecycle lifecycle, VmLocks locks, Path stateDir) {
        this.rows = rows;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.stateDir = stateDir;
        sessions.retryWhile(vm -> lifecycle.find(vm).map(found -> found.state() == VmState.RUNNING).orElse(false));
    }

    /** How share sessions are started (tests stand programs in for ssh). */
    void useLauncher(ShareSessions.Launcher launcher) {
        sessions.useLauncher(launcher);
    }

    /** The runtime bundle's private SSH key, read when a share is attached. */
    public void useKey(Supplier<String> privateKey) {
        sessions.useKey(privateKey);
    }

    /** The VM's shares: a create's as asked, else as recorded. */
    public List<Share> of(String vm) {
        List<Share> pending = creating.get(vm);
        return pending != null ? pending : rows.list(vm);
    }

    /** A create's shares checked against the rules and each other, host paths made canonical. */
    List<Share> check(List<Share> asked) {
        List<Share> checked = new ArrayList<>();
        for (Share share : asked) {
            checked.add(ShareRules.check(share, stateDir, checked));
        }
        return List.copyOf(checked);
    }

    /** The create of {@code vm} will have {@code shares} (checked); recorded once its row exists. */
    void expect(String vm, List<Share> shares) {
        if (!shares.isEmpty()) {
            creating.put(vm, shares);
        }
    }

    /** Runs the create of {@code vm}; its shares are no longer held here once it ends, however it does. */
    <T> T creating(String vm, Supplier<T> create) {
        try {
            return create.get();
        } finally {
            creating.remove(vm);
        }
    }

    @Override
    public void attach(Vm vm, Path vmDir, List<String> hostKeys) {
        List<Share> pending = creating.remove(vm.name());
        if (pending != null) {
            pending.forEach(share -> rows.add(vm.name(), share));
        }
        for (Share share : rows.list(vm.name())) {
            sessions.attach(new ShareSessions.Target(vm.name(), vm.network().ip(), vmDir, hostKeys), share);
        }
    }

    @Override
    public void detach(String vm) {
        sessions.detachAll(vm);
    }

    /** Adds a share: mounted now on a running VM (and recorded only once it is), at the next start on a stopped one. */
    public void add(String name, Share asked) {
        lifecycle.get(name);
        locks.with(name, () -> {
            Vm vm = lifecycle.get(name);
            Share share = ShareRules.check(asked, stateDir, rows.list(name));
            switch (vm.state()) {
                case RUNNING -> {
                    sessions.attach(target(vm), share);
                    try {
                        rows.add(name, share);
                    } catch (RuntimeException e) {
                        sessions.detach(name, share.guestPath());
                        throw e;
                    }
                }
                case STOPPED, FAILED -> rows.add(name, share);
                default -> throw VmException.conflict("VM '" + name + "' is " + vm.state().wireName()
                        + "; add the share once it is running or stopped");
            }
            LOG.info("VM {}: shares {}{}", name, share.spec(), vm.state() == VmState.RUNNING ? "" : " from its next start");
            return null;
        });
    }

    /** Removes the share at {@code guestPath}: unmounted now on a running VM. */
    public void remove(String name, String guestPath) {
        lifecycle.get(name);
        locks.with(name, () -> {
            List<Share> shares = rows.list(name);
            if (shares.stream().noneMatch(share -> share.guestPath().equals(guestPath))) {
                throw new VmException(ErrorKind.NOT_FOUND, "VM '" + name + "' has no share at " + guestPath
                        + (shares.isEmpty() ? " (it has none)"
                                : "; its shares are at " + String.join(", ", shares.stream().map(Share::guestPath).toList())));
            }
            sessions.detach(name, guestPath);
            rows.remove(name, guestPath);
            LOG.info("VM {}: no longer shares {}", name, guestPath);
            return null;
        });
    }

    /**
     * After a daemon start: the shares of each running VM mounted again (the previous daemon's
     * sessions ended with it; the guest's stale mounts are lazily unmounted first). In the
     * background, one VM after another, so the start does not wait on guests.
     */
    void reattach(List<Vm> running) {
        List<Vm> withShares = running.stream().filter(vm -> !rows.list(vm.name()).isEmpty()).toList();
        if (withShares.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("share-reattach").start(() -> {
            for (Vm vm : withShares) {
                for (Share share : rows.list(vm.name())) {
                    try {
                        sessions.attach(target(vm), share);
                    } catch (RuntimeException e) {
                        LOG.error("VM {}: share {} was not mounted again after the daemon's start: {}", vm.name(), share.spec(),
                                e.getMessage());
                    }
                }
            }
        });
    }

    /** Whether the VM's share at {@code guestPath} has a live session. */
    boolean mounted(String vm, String guestPath) {
        return sessions.attached(vm, guestPath);
    }

    /** Ends every session (the daemon stops). */
    void close() {
        sessions.close();
    }

    private ShareSessions.Target target(Vm vm) {
        VmRuntime runtime = lifecycle.runtime(vm);
        return new ShareSessions.Target(vm.name(), vm.network().ip(), runtime.vmDir(), runtime.hostKeys());
    }
}
