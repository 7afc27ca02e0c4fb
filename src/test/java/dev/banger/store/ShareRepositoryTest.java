package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.Share;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareRepositoryTest {
    @TempDir
    Path dir;

    private Store store;
    private ShareRepository shares;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"), Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
        store.images().insert(StoreFixtures.image("debian-12"));
        store.vms().create(StoreFixtures.vm("dev1"), StoreFixtures.SUBNET);
        store.vms().create(StoreFixtures.vm("dev2"), StoreFixtures.SUBNET);
        shares = store.shares();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void sharesAreKeptPerVmInTheOrderTheyWereMade() {
        shares.add("dev1", new Share("/home/me/src", "/mnt/src", false));
        shares.add("dev1", new Share("/home/me/data", "/data", true));
        shares.add("dev2", new Share("/home/me/src", "/mnt/src", true));

        assertThat(shares.list("dev1")).containsExactly(new Share("/home/me/src", "/mnt/src", false),
                new Share("/home/me/data", "/data", true));
        assertThat(shares.list("dev2")).containsExactly(new Share("/home/me/src", "/mnt/src", true));
        assertThat(shares.list("nope")).isEmpty();
    }

    @Test
    void aGuestPathHoldsOneShareAndAnUnknownVmHoldsNone() {
        shares.add("dev1", new Share("/home/me/src", "/mnt/src", false));

        assertThatThrownBy(() -> shares.add("dev1", new Share("/home/me/other", "/mnt/src", false)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("banger vm unshare");
        assertThatThrownBy(() -> shares.add("ghost", new Share("/home/me/src", "/mnt/src", false)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void removingTheShareOrTheVmForgetsIt() {
        shares.add("dev1", new Share("/home/me/src", "/mnt/src", false));
        shares.add("dev1", new Share("/home/me/data", "/data", true));

        assertThat(shares.remove("dev1", "/mnt/src")).isTrue();
        assertThat(shares.remove("dev1", "/mnt/src")).isFalse();
        assertThat(shares.list("dev1")).containsExactly(new Share("/home/me/data", "/data", true));

        store.vms().delete("dev1");
        assertThat(shares.list("dev1")).isEmpty();
        store.vms().create(StoreFixtures.vm("dev1"), StoreFixtures.SUBNET);
        assertThat(shares.list("dev1")).isEmpty();
    }
}
