package dev.banger.vm;

import dev.banger.vm.state.VmException;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Generated VM names such as {@code brisk-otter}, readable and valid DNS labels. Thread-safe. */
final class VmNames {
    private static final List<String> ADJECTIVES = List.of("brisk", "calm", "clever", "eager", "fuzzy", "gentle", "happy",
            "jolly", "keen", "lucky", "mellow", "nimble", "proud", "quiet", "rapid", "shiny", "swift", "tidy", "witty", "zesty");
    private static final List<String> NOUNS = List.of("otter", "falcon", "badger", "lynx", "heron", "panda", "koala", "yak",
            "ibis", "mole", "newt", "orca", "puffin", "quail", "raven", "seal", "tapir", "vole", "wren", "zebra");

    private VmNames() {}

    /** A name not in {@code taken}; after a few collisions a number is added. */
    static String generate(Set<String> taken, RandomGenerator random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()));
            if (attempt >= 10) {
                name += "-" + random.nextInt(1000);
            }
            if (!taken.contains(name)) {
                return name;
            }
        }
        throw VmException.conflict("cannot find a free generated VM name; give one");
    }
}
