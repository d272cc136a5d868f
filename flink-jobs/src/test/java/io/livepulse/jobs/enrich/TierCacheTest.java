package io.livepulse.jobs.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.fans.Tier;
import org.junit.jupiter.api.Test;

class TierCacheTest {
    private static final long NOW = 1_764_720_000_000L;

    private static TierCache.Entry entry(Tier tier, Long followedAt, Long lastPurchaseAt) {
        return new TierCache.Entry(tier, followedAt, lastPurchaseAt, NOW);
    }

    @Test
    void anEntryComesBackWithItsTierDatesAndLoadTime() {
        TierCache cache = new TierCache(100);
        cache.put("r-1", "fan", entry(Tier.TRUE_LOVE, NOW - 86_400_000L, NOW - 3_600_000L));
        cache.put("r-1", "new", entry(Tier.NON_FAN, null, null));
        cache.put("r-1", "follower", entry(Tier.PASSERBY, NOW - 1L, null));

        assertThat(cache.get("r-1", "fan"))
                .isEqualTo(entry(Tier.TRUE_LOVE, NOW - 86_400_000L, NOW - 3_600_000L));
        assertThat(cache.get("r-1", "new")).isEqualTo(entry(Tier.NON_FAN, null, null));
        assertThat(cache.get("r-1", "follower")).isEqualTo(entry(Tier.PASSERBY, NOW - 1L, null));
        assertThat(cache.get("r-1", "stranger")).isNull();
        assertThat(cache.get("r-2", "fan")).as("the same user in another room").isNull();
    }

    @Test
    void everyTierIsKeptAsItIs() {
        TierCache cache = new TierCache(100);
        for (Tier t : Tier.values()) {
            cache.put("r", t.wireName(), entry(t, 0L, 0L));
        }
        for (Tier t : Tier.values()) {
            assertThat(cache.get("r", t.wireName()).tier()).isEqualTo(t);
        }
    }

    @Test
    void roomAndUserAreKeptApart() {
        TierCache cache = new TierCache(100);
        cache.put("ab", "c", entry(Tier.AFFINITY, null, null));

        assertThat(cache.get("a", "bc")).isNull();
        assertThat(cache.get("abc", "")).isNull();
        assertThat(cache.get("ab", "c").tier()).isEqualTo(Tier.AFFINITY);
    }

    @Test
    void aViewerStoredAgainIsReplacedNotAddedTwice() {
        TierCache cache = new TierCache(2);
        cache.put("r", "a", entry(Tier.NON_FAN, null, null));
        cache.put("r", "b", entry(Tier.NON_FAN, null, null));
        cache.put("r", "a", entry(Tier.AFFINITY, NOW, null)); // a new tier after the TTL

        assertThat(cache.get("r", "a")).isEqualTo(entry(Tier.AFFINITY, NOW, null));
        assertThat(cache.get("r", "b")).as("not evicted by a's second entry").isNotNull();
    }

    @Test
    void aFullSetGivesUpItsLeastRecentlyUsedEntry() {
        TierCache cache = new TierCache(3); // one set of three
        cache.put("r", "a", entry(Tier.NON_FAN, null, null));
        cache.put("r", "b", entry(Tier.NON_FAN, null, null));
        cache.put("r", "c", entry(Tier.NON_FAN, null, null));
        assertThat(cache.get("r", "a")).isNotNull(); // b is now the least recently used

        cache.put("r", "d", entry(Tier.NON_FAN, null, null));

        assertThat(cache.get("r", "b")).isNull();
        assertThat(cache.get("r", "a")).isNotNull();
        assertThat(cache.get("r", "c")).isNotNull();
        assertThat(cache.get("r", "d")).isNotNull();
    }

    @Test
    void manyViewersEachFindTheirOwnEntry() {
        TierCache cache = new TierCache(100_000);
        Tier[] tiers = {Tier.TRUE_LOVE, Tier.AFFINITY, Tier.PASSERBY, Tier.NON_FAN};
        for (int i = 0; i < 10_000; i++) {
            cache.put("room-" + i % 7, "user-" + i, entry(tiers[i % 4], (long) i, null));
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(cache.get("room-" + i % 7, "user-" + i))
                    .as("viewer %d", i)
                    .isEqualTo(entry(tiers[i % 4], (long) i, null));
            assertThat(cache.get("room-" + (i + 1) % 7, "user-" + i)).isNull();
        }
    }

    @Test
    void theCapacityIsWholeSets() {
        assertThat(new TierCache(250_000).capacity()).isEqualTo(250_000);
        assertThat(new TierCache(20).capacity()).isEqualTo(32); // two sets of 16
        assertThat(new TierCache(10).capacity()).isEqualTo(10); // one set of 10
        assertThat(new TierCache(3).capacity()).isEqualTo(3);
        assertThatThrownBy(() -> new TierCache(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cache holds 1 to 100000000 entries, got 0");
        assertThatThrownBy(() -> new TierCache(EnrichWithFanTier.MAX_CACHE_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
