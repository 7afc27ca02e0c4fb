package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.PortForward;
import dev.banger.rpc.InvalidParameterException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vm.port.* and vm.create.begin parameters refuse a bad forward, naming the parameter. */
class VmPortParamsTest {
    @Test
    void aBadSpecIsTheSpecParametersFault() {
        assertThatThrownBy(() -> new VmPortMethods.AddParams("dev1", "8080"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.field()).isEqualTo("spec"))
                .hasMessageContaining("has no guest port");
        assertThatThrownBy(() -> new VmPortMethods.RemoveParams("dev1", "8080/icmp"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.field()).isEqualTo("spec"));
        assertThatThrownBy(() -> new VmPortMethods.AddParams("Dev1", "8080:80"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void rmTakesTheHostSideAloneOrAWholeSpec() {
        new VmPortMethods.RemoveParams("dev1", "8080");
        new VmPortMethods.RemoveParams("dev1", "0.0.0.0:8080:80/udp");
    }

    @Test
    void aCreatesPublishListIsCheckedWhenItArrives() {
        assertThatThrownBy(() -> new VmMethods.CreateParams("dev1", null, null, null, null, null, null, List.of("2222:22", "1.2.3:1:1"), null))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.field()).isEqualTo("publish"))
                .hasMessageContaining("host address '1.2.3' is not an IPv4 address");
        assertThat(VmPortMethods.forwards("publish", List.of("2222:22"))).containsExactly(PortForward.loopback(2222, 22));
        assertThat(VmPortMethods.forwards("publish", null)).isEmpty();
    }
}
