package dev.banger.model;

/**
 * {@code vm.stats}: resource use of one VM as the host sees it. Immutable value; fields that need
 * a running VMM are {@code null} when it is stopped.
 *
 * @param name            VM name
 * @param state           its state
 * @param cpuSeconds      CPU time the VMM process has used (user + system), or null
 * @param cpuPercent      average CPU use since the VMM started, in percent of one CPU, or null
 * @param memoryRssBytes  resident memory of the VMM process, or null
 * @param memoryMib       configured guest memory
 * @param diskBytes       size of the work disk
 * @param diskUsedBytes   host bytes the VM's disks occupy (root and work, sparse-aware)
 * @param uptimeSeconds   seconds since the VMM started, or null
 */
public record VmStats(
        String name,
        VmState state,
        Double cpuSeconds,
        Double cpuPercent,
        Long memoryRssBytes,
        int memoryMib,
        long diskBytes,
        long diskUsedBytes,
        Long uptimeSeconds) {}
