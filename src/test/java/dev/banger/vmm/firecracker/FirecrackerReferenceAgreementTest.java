package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Proves the project's Firecracker API reference ({@code docs/reference/firecracker-api.yaml}),
 * which every other Firecracker test checks banger against, says what Firecracker's official
 * document says ({@link ReferenceAgreement} lists how it compares). The official document is not
 * part of the checkout, so this one test runs only when {@code $BANGER_FIRECRACKER_SPEC} names
 * it, and is skipped with instructions otherwise; {@code .ci/run} sets the variable when the
 * document is beside the checkout.
 */
class FirecrackerReferenceAgreementTest {

    @Test
    void projectReferenceAgreesWithFirecrackersOfficialApiDocument() {
        Optional<Path> official = ApiDocument.official();
        assumeTrue(official.isPresent(), ApiDocument.HOW_TO_CHECK);
        Path reference = ApiDocument.reference();

        assertThat(ReferenceAgreement.differences(ApiDocument.parse(reference), ApiDocument.parse(official.get())))
                .as("%s against %s; fix the reference (or the official document named is the wrong one)", reference, official.get())
                .isEmpty();
    }
}
