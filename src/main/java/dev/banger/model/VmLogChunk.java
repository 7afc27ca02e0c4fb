package dev.banger.model;

/**
 * {@code vm.logs}: part of a VM's console log from a byte offset. Immutable value.
 *
 * @param text       the log text from the requested offset (at most a bounded amount)
 * @param nextOffset where the next call should continue
 * @param running    whether the VM runs, i.e. whether more may come
 */
public record VmLogChunk(String text, long nextOffset, boolean running) {}
