package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.VmInfo;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.AccelerationSource;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.BackendChooser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmCreateAccelerationTest {
    private static final Acceleration MSR = Acceleration.emulated("QEMU reported: failed to set MSR 0x10a");
    private static final Acceleration PROVEN = Acceleration.kvm("the guest kernel booted under KVM to \"Kernel panic\"");

    @TempDir
    Path dir;

    private VmFixture fx;

    /** The daemon's verdict owner in miniature: unknown until asked (one test boot) or told (doctor). */
    private static final class Verdicts implements AccelerationSource {
        final AtomicReference<Acceleration> recorded = new AtomicReference<>();
        final AtomicInteger testBoots = new AtomicInteger();
        private final Acceleration testBootSays;

        Verdicts(Acceleration testBootSays) {
            this.testBootSays = testBootSays;
        }

        @Override
        public Acceleration current() {
            return recorded.updateAndGet(known -> {
                if (known != null) {
                    return known;
                }
                testBoots.incrementAndGet();
                return testBootSays;
            });
        }

        @Override
        public Optional<Acceleration> known() {
            return Optional.ofNullable(recorded.get());
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private VmService serviceAskingEachCreate(Verdicts verdicts) {
        fx.vmm.acceleration = verdicts;
        BackendChooser newVms = new BackendChooser() {
            @Override
            public BackendChoice choose() {
                return new BackendChoice(FakeVmm.NAME, verdicts.current());
            }

            @Override
            public Optional<BackendChoice> known() {
                return verdicts.known().map(a -> new BackendChoice(FakeVmm.NAME, a));
            }
        };
        return fx.service(fx.host(newVms), VmFixture.QUICK);
    }

    private static VmInfo create(VmService service, String name) {
        return service.create(service.plan(new CreateRequest(name, null, null, null, null)), new RecordingStages());
    }

    @Test
    void theFirstCreateFindsOutAndAVerdictReachedLaterIsUsedByTheNextCreateWithoutARestart() {
        Verdicts verdicts = new Verdicts(MSR);
        VmService service = serviceAskingEachCreate(verdicts);

        VmInfo first = create(service, "dev1");
        verdicts.recorded.set(PROVEN); // doctor proved KVM meanwhile
        VmInfo second = create(service, "dev2");

        assertThat(verdicts.testBoots).hasValue(1);
        assertThat(first.vmm()).isEqualTo(FakeVmm.NAME);
        assertThat(first.acceleration()).isEqualTo("tcg: KVM cannot run a guest here: QEMU reported: failed to set MSR 0x10a");
        assertThat(second.acceleration()).isEqualTo("kvm");
        assertThat(service.info("dev2").acceleration()).isEqualTo("kvm");
    }

    @Test
    void thePlanCarriesTheAccelerationItWasChosenWith() {
        Verdicts verdicts = new Verdicts(PROVEN);
        VmService service = serviceAskingEachCreate(verdicts);

        CreatePlan plan = service.plan(new CreateRequest("dev1", null, null, null, null));

        assertThat(plan.acceleration()).isEqualTo(PROVEN);
        assertThat(plan.vmm()).isEqualTo(FakeVmm.NAME);
    }
}
