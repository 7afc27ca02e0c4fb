package dev.banger.vm;

/**
 * {@code vm create} as asked: any part may be null and takes the configured default (a generated
 * name, the default image, {@code [vm]} sizes). Immutable value.
 */
public record CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib) {}
