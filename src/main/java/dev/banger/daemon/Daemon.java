package dev.banger.daemon;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.config.ConfigLoader;
import dev.banger.config.LoadedConfig;
import dev.banger.host.HostCommands;
import dev.banger.image.ImageCatalog;
import dev.banger.model.CheckResult;
import dev.banger.model.DaemonStatus;
import dev.banger.model.ErrorKind;
import dev.banger.model.ImageStatus;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.PeerAuthorizer;
import dev.banger.rpc.RpcClient;
import dev.banger.rpc.RpcDispatcher;
import dev.banger.rpc.RpcException;
import dev.banger.rpc.RpcMethod;
import dev.banger.rpc.RpcServer;
import dev.banger.store.Store;
import dev.banger.vm.FaultPoints;
import dev.banger.vm.VmmWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running bangerd: the instance lock, the store, the RPC server and everything the methods
 * need, opened in that order and closed in reverse. {@link #close()} is idempotent and safe to
 * call from a shutdown hook and from {@code daemon.shutdown} at once.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Long enough for a delete to stop a running VM (guest shutdown grace, then QMP quit, then SIGKILL). */
    static final Duration DELETE_DRAIN = Duration.ofSeconds(60);
    /** How long a daemon found on the socket has to answer {@code daemon.status}; a live one answers in milliseconds. */
    static final Duration STALE_SOCKET_PROBE = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> resources;
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final BangerPaths paths;
    private boolean closing;

    private Daemon(BangerPaths paths, Deque<AutoCloseable> resources) {
        this.paths = paths;
        this.resources = resources;
    }

    /**
     * Starts a daemon for {@code paths}. On any failure everything opened so far is closed again
     * and the exception says what went wrong.
     */
    public static Daemon start(BangerPaths paths, HostCommands host) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            LoadedConfig loaded = ConfigLoader.load(paths.configFile());
            loaded.warnings().forEach(w -> LOG.warn("config {}: {}", paths.configFile(), w));
            BangerConfig config = loaded.config();
            applyLogLevel(config);
            prepareDirectories(paths);
            opened.push(InstanceLock.acquire(paths.lockFile()));
            removeStaleSocket(paths.socket());
            Store store = Store.open(paths.database());
            opened.push(store);
            int interrupted = store.operations().failUnfinished("bangerd stopped while this operation ran");
            if (interrupted > 0) {
                LOG.warn("marked {} operation(s) interrupted by the previous daemon as failed", interrupted);
            }

            Daemon daemon = new Daemon(paths, opened);
            DaemonMethods daemonMethods = new DaemonMethods(paths, counts(store), daemon::requestShutdown, Clock.systemUTC());
            List<RpcMethod<?, ?>> methods = new ArrayList<>(daemonMethods.methods());
            DoctorMethods doctor = new DoctorMethods(DoctorSetup.context(host, paths, config), DoctorSetup.configCheck(paths, loaded),
                    DoctorSetup.defaultImage(() -> store.images().findDefault(config.image().defaultImage()), host, paths, config));
            methods.addAll(doctor.methods());
            Clock clock = Clock.systemUTC();
            ImageCatalog images = ImageSetup.catalog(paths, config, host, store, clock);
            FaultPoints faults = FaultPoints.fromEnvironment(System.getenv(), paths.runtimeDir());
            OperationRunner runner = new OperationRunner(store.operations(), faults);
            opened.push(runner);
            VmSetup.Vms vms = VmSetup.start(paths, config, host, store, images, doctor.context());
            opened.push(vms.host());
            vms.service().useFaultPoints(faults);
            opened.push(vms.service().startWatch(VmmWatch.SWEEP_EVERY));
            ImageVerifier verifier = new ImageVerifier(vms.service(), vms.inspector(), host, paths.stateDir().resolve("tmp"));
            methods.addAll(new ImageMethods(images, store.images(), store.operations(), runner, verifier,
                    vms.service()::imageChanged, () -> config.image().defaultImage(),
                    image -> vms.service().snapshots().list(image)).methods());
            methods.addAll(new SnapshotMethods(vms.service(), store.images(), store.operations(), runner).methods());
            methods.addAll(new VmMethods(vms.service(), vms.inspector(), store.operations(), runner).methods());
            methods.addAll(new VmPortMethods(vms.service().ports()).methods());

            PeerAuthorizer authorizer = new PeerAuthorizer(config.daemon().group(), new HostGroupLookup(host));
            RpcServer server = RpcServer.start(paths.socket(), new RpcDispatcher(methods), authorizer);
            opened.push(() -> server.close(SHUTDOWN_GRACE));
            // Closed before the server: VM deletes under way finish, later ones of the same call are refused.
            opened.push(() -> {
                faults.release();
                if (!vms.service().drainDeletes(DELETE_DRAIN)) {
                    LOG.warn("VM deletes still running after {} s; the next start finishes them", DELETE_DRAIN.toSeconds());
                }
            });
            String group = SocketAccess.restrict(paths.socket(), config.daemon().group())
                    .orElse("root only; group '" + config.daemon().group() + "' does not exist");
            LOG.info("bangerd {} ready on {} (pid {}, state {}, socket group {})", dev.banger.model.BangerVersion.get(),
                    paths.socket(), ProcessHandle.current().pid(), paths.stateDir(), group);
            Thread.ofVirtual().name("preflight").start(() -> logPreflight(doctor));
            Thread.ofVirtual().name("reconcile-images").start(() -> reconcileImages(images, config));
            return daemon;
        } catch (IOException e) {
            closeAll(opened);
            throw new DaemonException(ErrorKind.INTERNAL, "cannot start bangerd: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void logPreflight(DoctorMethods doctor) {
        for (CheckResult check : doctor.preflight().checks()) {
            switch (check.status()) {
                case OK -> LOG.debug("preflight {}: {}", check.name(), check.detail());
                case WARN -> LOG.warn("preflight {}: {} ({})", check.name(), check.detail(), check.remedy());
                case FAIL -> LOG.error("preflight {}: {} ({})", check.name(), check.detail(), check.remedy());
            }
        }
    }

    private static void reconcileImages(ImageCatalog images, BangerConfig config) {
        try {
            for (ImageCatalog.Finding finding : images.reconcile(config.image().defaultImage())) {
                if (finding.status() == ImageStatus.READY) {
                    LOG.info("default image {}: {}", finding.image(), finding.detail());
                } else {
                    LOG.warn("default image {}: {}", finding.image(), finding.detail());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("cannot reconcile images: {}", e.toString());
        }
    }

    private static void applyLogLevel(BangerConfig config) {
        if (System.getProperty("banger.log.level") == null
                && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.toLevel(config.logLevel().name()));
        }
    }

    private static DaemonMethods.Counts counts(Store store) {
        return new DaemonMethods.Counts() {
            @Override
            public int schemaVersion() {
                return Integer.parseInt(store.schemaVersion());
            }

            @Override
            public int images() {
                return (int) store.summary().images();
            }

            @Override
            public int vms() {
                return (int) store.summary().vms();
            }
        };
    }

    private static void prepareDirectories(BangerPaths paths) throws IOException {
        Files.createDirectories(paths.stateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(paths.stateDir(), PosixFilePermissions.fromString("rwx------"));
        // The runtime dir must be traversable so group members can reach the 0660 socket inside.
        Files.createDirectories(paths.runtimeDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(paths.cacheDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /**
     * A socket file left by a crashed daemon is removed; one where a daemon answers, or where
     * something holds the connection without answering, is someone else's. A connect alone proves
     * nothing: a killed daemon's listener lingers while a child it was spawning still holds it, and
     * takes connections that then break unanswered.
     */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        try (RpcClient client = RpcClient.connect(socket)) {
            DaemonStatus other = client.call("daemon.status", null, DaemonStatus.class, STALE_SOCKET_PROBE);
            throw socketTaken(socket, "another bangerd (pid " + other.pid() + ", state dir " + other.stateDir() + ") already serves it");
        } catch (RpcException answered) {
            throw socketTaken(socket, "another bangerd already serves it (it answered: " + answered.getMessage() + ")");
        } catch (DaemonUnavailableException stale) {
            if (stale.noAnswer()) {
                throw socketTaken(socket, "something holds it and did not answer within " + STALE_SOCKET_PROBE.toSeconds() + " s");
            }
            Files.delete(socket);
            LOG.info("removed stale socket {} ({})", socket, stale.getMessage());
        }
    }

    private static DaemonException socketTaken(Path socket, String why) {
        return new DaemonException(ErrorKind.CONFLICT, "cannot serve " + socket + ": " + why
                + "; set BANGER_RUNTIME_DIR to use another socket");
    }

    public BangerPaths paths() {
        return paths;
    }

    /** Asks the main thread to stop the daemon (what {@code daemon.shutdown} does). */
    void requestShutdown() {
        shutdownRequested.countDown();
    }

    /** Blocks until {@code daemon.shutdown} is called. */
    public void awaitShutdownRequest() throws InterruptedException {
        shutdownRequested.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                awaitClosed();
                return;
            }
            closing = true;
        }
        LOG.info("bangerd shutting down");
        closeAll(resources);
        LOG.info("bangerd stopped");
        closed.countDown();
    }

    private void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("error while closing {}: {}", resource, e.toString());
            }
        }
    }
}
