package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAuthorizerTest {
    private final Map<String, Set<String>> groups = Map.of(
            "alice", Set.of("alice", "banger"),
            "bob", Set.of("bob", "users"));
    private final PeerAuthorizer authorizer = new PeerAuthorizer("banger", user -> groups.getOrDefault(user, Set.of()));

    @Test
    void rootIsAlwaysAllowed() {
        assertThat(authorizer.allows(new CallContext("root", "root"))).isTrue();
    }

    @Test
    void supplementaryMemberOfTheGroupIsAllowed() {
        assertThat(authorizer.allows(new CallContext("alice", "alice"))).isTrue();
    }

    @Test
    void primaryGroupIsEnoughWithoutALookup() {
        PeerAuthorizer noLookup = new PeerAuthorizer("banger", user -> {
            throw new IllegalStateException("must not be asked");
        });
        assertThat(noLookup.allows(new CallContext("carol", "banger"))).isTrue();
    }

    @Test
    void userOutsideTheGroupIsRefusedWithAMessageThatSaysWhatToDo() {
        CallContext bob = new CallContext("bob", "bob");
        assertThat(authorizer.allows(bob)).isFalse();
        assertThat(authorizer.refusal(bob)).contains("bob").contains("banger").contains("usermod -aG banger bob");
    }

    @Test
    void failingGroupLookupMeansRefusal() {
        PeerAuthorizer broken = new PeerAuthorizer("banger", user -> {
            throw new IllegalStateException("nss down");
        });
        assertThat(broken.allows(new CallContext("dave", "dave"))).isFalse();
    }
}
