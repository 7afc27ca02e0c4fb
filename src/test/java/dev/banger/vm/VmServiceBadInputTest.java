package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions found by the RPC fuzzer: a refused VM request must not set up the host network
 * (bridge, TAP pool, DNS, NAT) on a daemon that has no VMs yet.
 */
class VmServiceBadInputTest {
    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        service = fx.service(VmFixture.QUICK);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static ErrorKind kindOf(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(BangerException.class);
        return ((BangerException) thrown).kind();
    }

    @Test
    void createPlansRefusedForSizesOrAMissingImageLeaveTheHostNetworkAlone() {
        assertThat(kindOf(() -> service.plan(new CreateRequest("dev1", null, Integer.MAX_VALUE, null, null))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> service.plan(new CreateRequest("dev1", null, null, 1_048_577, null))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> service.plan(new CreateRequest("dev1", "no-such-image", null, null, null))))
                .isEqualTo(ErrorKind.NOT_FOUND);

        assertThat(fx.network.recorded()).as("no network command ran").isEmpty();
        assertThat(fx.taps()).isEmpty();
    }

    @Test
    void startStopRestartAndDeleteOfUnknownVmsLeaveTheHostNetworkAlone() {
        assertThat(kindOf(() -> service.start("ghost"))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> service.stop("ghost"))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> service.restart("ghost"))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(service.delete(List.of("ghost", "phantom")).outcomes()).allSatisfy(o -> assertThat(o.deleted()).isFalse());

        assertThat(fx.network.recorded()).as("no network command ran").isEmpty();
        assertThat(fx.taps()).isEmpty();
    }

    @Test
    void aValidPlanStillSetsUpTheHostNetwork() {
        service.plan(new CreateRequest("dev1", null, null, null, null));

        assertThat(fx.network.recorded()).isNotEmpty();
    }
}
