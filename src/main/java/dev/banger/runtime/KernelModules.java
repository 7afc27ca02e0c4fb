package dev.banger.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Works out which kernel module files an initramfs needs, in load order, without depmod: the
 * dependencies come from each module's {@code .modinfo} ({@code depends=a,b}), built-in modules
 * from {@code modules.builtin}. Pure functions; thread-safe.
 */
public final class KernelModules {
    private KernelModules() {}

    /** Module names compare with '-' and '_' as one character, as the kernel does. */
    public static String canonical(String name) {
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        for (String suffix : List.of(".ko.xz", ".ko.zst", ".ko.gz", ".ko")) {
            if (base.endsWith(suffix)) {
                base = base.substring(0, base.length() - suffix.length());
                break;
            }
        }
        return base.replace('-', '_');
    }

    /** The names listed in {@code modules.builtin} (one path per line). */
    public static Set<String> builtin(String modulesBuiltin) {
        Set<String> out = new HashSet<>();
        for (String line : modulesBuiltin.split("\n")) {
            if (!line.isBlank()) {
                out.add(canonical(line.strip()));
            }
        }
        return out;
    }

    /** The {@code depends=} list from a module file's bytes; empty when it has none. */
    public static List<String> depends(byte[] module) {
        byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= module.length; i++) {
            // modinfo strings are NUL-separated: only match at the start of one.
            if (i > 0 && module[i - 1] != 0) {
                continue;
            }
            for (int k = 0; k < key.length; k++) {
                if (module[i + k] != key[k]) {
                    continue outer;
                }
            }
            int end = i + key.length;
            while (end < module.length && module[end] != 0) {
                end++;
            }
            String value = new String(module, i + key.length, end - i - key.length, StandardCharsets.US_ASCII).strip();
            return value.isEmpty() ? List.of()
                    : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .map(KernelModules::canonical).toList();
        }
        return List.of();
    }

    /**
     * The module files to load for {@code wanted}, dependencies first, each once.
     *
     * @param files   canonical name → module file (relative path) for every module in the tree
     * @param depends a module file → its dependencies (canonical names)
     * @param builtin canonical names built into the kernel; they need no file
     * @throws IllegalArgumentException naming a module that is neither a file nor built in
     */
    public static List<String> loadOrder(List<String> wanted, Map<String, String> files,
                                         Function<String, List<String>> depends, Set<String> builtin) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String name : wanted) {
            visit(canonical(name), files, depends, builtin, order, new HashSet<>(), name);
        }
        return new ArrayList<>(order);
    }

    private static void visit(String name, Map<String, String> files, Function<String, List<String>> depends,
                              Set<String> builtin, LinkedHashSet<String> order, Set<String> path, String wantedBy) {
        Optional<String> file = Optional.ofNullable(files.get(name));
        if (file.isEmpty()) {
            if (builtin.contains(name)) {
                return;
            }
            throw new IllegalArgumentException("kernel module '" + name + "' (needed for " + wantedBy
                    + ") is neither in the kernel package nor built in");
        }
        if (order.contains(file.get()) || !path.add(name)) {
            return; // already scheduled, or a dependency cycle the kernel would reject anyway
        }
        for (String dep : depends.apply(file.get())) {
            visit(dep, files, depends, builtin, order, path, name);
        }
        order.add(file.get());
    }
}
