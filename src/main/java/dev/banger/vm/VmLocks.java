package dev.banger.vm;

import dev.banger.vm.state.VmException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One operation per VM at a time: a second create, start, stop, edit or delete of the same VM
 * while one runs is a conflict, not a queue, so a user never waits on a hidden lock. Thread-safe.
 */
final class VmLocks {
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    <T> T with(String vm, Supplier<T> work) {
        if (!busy.add(vm)) {
            throw VmException.conflict("VM '" + vm + "' is busy with another operation; wait for it to finish");
        }
        try {
            return work.get();
        } finally {
            busy.remove(vm);
        }
    }

    /** Runs {@code work} if {@code vm} is free; empty, without waiting, when another operation holds it. */
    <T> Optional<T> tryWith(String vm, Supplier<T> work) {
        if (!busy.add(vm)) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            busy.remove(vm);
        }
    }

    boolean isBusy(String vm) {
        return busy.contains(vm);
    }
}
