package dev.banger.vm.create;

import dev.banger.vm.state.VmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent steps side by side on virtual threads and returns when every one has ended,
 * so a caller never rolls back while a sibling is still changing the host. The first failure is
 * rethrown with the others attached as suppressed. (StructuredTaskScope would say this, but it is
 * still a preview API in Java 25.) Stateless.
 */
final class Parallel {
    private Parallel() {}

    static void run(Runnable... steps) {
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable step : steps) {
                running.add(threads.submit(step));
            }
        }
        RuntimeException first = null;
        for (Future<?> step : running) {
            try {
                step.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                // A Runnable throws nothing checked.
                RuntimeException failure = (RuntimeException) e.getCause();
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VmException.failed("interrupted while waiting for parallel stages");
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
