package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Vm;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class VmNamesTest {
    @Test
    void generatedNamesAreValidVmNamesThatDoNotEndInAHyphen() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            String name = VmNames.generate(Set.of(), random);
            assertThat(Vm.isValidName(name)).as(name).isTrue();
            assertThat(name).doesNotEndWith("-").matches("[a-z]+-[a-z]+");
        }
    }

    @Test
    void generatedNameIsNeverATakenOne() {
        Random random = new Random(11);
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 450; i++) {
            String name = VmNames.generate(taken, random);
            assertThat(taken).doesNotContain(name);
            taken.add(name);
        }
        assertThat(taken).hasSize(450);
    }

    /** Always the first choice: the first adjective and noun, and 0 as the number. */
    private static final RandomGenerator FIRST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public int nextInt(int bound) {
            return 0;
        }
    };

    @Test
    void afterRepeatedCollisionsANumberIsAdded() {
        assertThat(VmNames.generate(Set.of("brisk-otter"), FIRST)).isEqualTo("brisk-otter-0");
    }

    @Test
    void noFreeNameIsAConflictAskingForAName() {
        assertThatThrownBy(() -> VmNames.generate(Set.of("brisk-otter", "brisk-otter-0"), FIRST))
                .isInstanceOf(BangerException.class)
                .hasMessageContaining("give one")
                .extracting(e -> ((BangerException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
    }
}
