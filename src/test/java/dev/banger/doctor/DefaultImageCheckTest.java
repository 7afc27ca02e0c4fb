package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.doctor.DefaultImageState.Condition;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the default image's state is judged; finding that state is tested with real images in {@code daemon.DefaultImageInspectionTest}. */
class DefaultImageCheckTest {
    private static CheckResult judge(DefaultImageState state) {
        return new DefaultImageCheck(() -> state, Path.of("/var/lib/banger")).run();
    }

    @Test
    void noDefaultImageOnlyWarnsAndSaysHowToBuildIt() {
        CheckResult result = judge(new DefaultImageState("default", false, Condition.ABSENT, "", false));

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("no default image 'default'").contains("vm create");
        assertThat(result.remedy()).startsWith("banger image build --name default");
    }

    @Test
    void aReadyImageIsOkAndNamedWithWhereItsDefaultnessComesFrom() {
        CheckResult result = judge(new DefaultImageState("dev", true, Condition.READY, "files present, work seed matches its fingerprint", true));

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.detail()).contains("'dev' (promoted)").contains("matches its fingerprint");
    }

    @Test
    void aMissingOrMismatchedSeedFailsWithTheRebuildCommand() {
        for (Condition broken : new Condition[] {Condition.WORK_SEED_MISSING, Condition.WORK_SEED_MISMATCH,
                Condition.FILES_MISSING, Condition.UNREADABLE}) {
            CheckResult result = judge(new DefaultImageState("default", false, broken, "what was found", true));

            assertThat(result.status()).as(broken.name()).isEqualTo(CheckStatus.FAIL);
            assertThat(result.detail()).contains("'default' ([image] default): what was found");
            assertThat(result.remedy()).isEqualTo("banger image rebuild-rootfs default");
        }
    }

    @Test
    void aBrokenImageBangerDidNotBuildIsToBeRegisteredAgainNotRebuilt() {
        CheckResult result = judge(new DefaultImageState("mine", true, Condition.WORK_SEED_MISMATCH, "fingerprints differ", false));

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.remedy()).contains("banger image register").doesNotContain("rebuild-rootfs");
    }

    @Test
    void anImageWaitingForItsFirstSeedIsOkAndNotKnowingWhichImageIsTheDefaultWarns() {
        assertThat(judge(new DefaultImageState("plain", false, Condition.AWAITING_WORK_SEED, "no work seed yet", false)).status())
                .isEqualTo(CheckStatus.OK);
        assertThat(judge(new DefaultImageState("default", false, Condition.UNKNOWN, "database locked", false)).status())
                .isEqualTo(CheckStatus.WARN);
    }
}
