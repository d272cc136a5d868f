package io.livepulse.jobs.enrich;

import static io.livepulse.jobs.Story.comment;
import static io.livepulse.jobs.Story.enter;
import static io.livepulse.jobs.Story.like;
import static io.livepulse.jobs.Story.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichWithFanTierTest {
    private static final long FOLLOWED = seconds(0) - 90L * 24 * 3_600_000;
    private static final long PURCHASED = seconds(0) - 7L * 24 * 3_600_000;

    /** Lookups per user, over every directory of the test (the directory is serialized). */
    static final Map<String, AtomicInteger> ASKED = new ConcurrentHashMap<>();

    /**
     * "fan" has a profile, "down" fails, "silent" never answers, everyone else is a non-fan; every
     * lookup is counted.
     */
    static final class CountingDirectory implements FanDirectory {
        private static final long serialVersionUID = 1L;

        @Override
        public Lookup open() {
            return new Lookup() {
                @Override
                public CompletableFuture<FanProfile> lookup(String room, String user) {
                    ASKED.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                    if (user.equals("silent")) {
                        return new CompletableFuture<>(); // never answers
                    }
                    if (user.equals("down")) {
                        return CompletableFuture.failedFuture(new IllegalStateException("down"));
                    }
                    return CompletableFuture.completedFuture(
                            user.startsWith("fan")
                                    ? new FanProfile(
                                            room,
                                            user,
                                            Tier.AFFINITY,
                                            FOLLOWED,
                                            false,
                                            40,
                                            PURCHASED)
                                    : null);
                }

                @Override
                public void close() {}
            };
        }
    }

    @BeforeEach
    void clear() {
        ASKED.clear();
    }

    /**
     * Every event, as parsed (no tier), through the enrichment with a cache of {@code cacheSize}.
     */
    static List<EventRecord> enrich(int cacheSize, EventRecord... events) throws Exception {
        for (EventRecord e : events) {
            e.tier = null; // as parsed: the enrichment sets it
        }
        return enrichAsGiven(cacheSize, events);
    }

    private static List<EventRecord> enrichAsGiven(int cacheSize, EventRecord... events)
            throws Exception {
        return enrich(
                new EnrichWithFanTier(new CountingDirectory(), cacheSize, 600_000, 10_000), events);
    }

    private static List<EventRecord> enrich(EnrichWithFanTier fn, EventRecord... events)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<EventRecord, EventRecord> h =
                new OneInputStreamOperatorTestHarness<>(
                        new AsyncWaitOperatorFactory<>(
                                fn, 0, 100, AsyncDataStream.OutputMode.ORDERED), // as the job
                        TypeInformation.of(EventRecord.class)
                                .createSerializer(new ExecutionConfig().getSerializerConfig()))) {
            h.open();
            for (EventRecord e : events) {
                h.processElement(new StreamRecord<>(e, e.ts));
            }
            h.endInput();
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    @Test
    void aFansEventsCarryTheTierAndDatesTheLaterOnesFromTheCache() throws Exception {
        List<EventRecord> out =
                enrich(
                        10,
                        enter("fan-1").at(seconds(1)),
                        like("fan-1", 3).at(seconds(2)),
                        comment("fan-1").at(seconds(3)));

        assertThat(out).hasSize(3);
        for (EventRecord e : out) {
            assertThat(e.tier).isEqualTo(Tier.AFFINITY);
            assertThat(e.followedAt).isEqualTo(FOLLOWED);
            assertThat(e.lastPurchaseAt).isEqualTo(PURCHASED);
        }
        assertThat(ASKED.get("fan-1")).hasValue(1);
    }

    @Test
    void aRecordThatComesBackWithATierGetsTheDirectorysAgain() throws Exception {
        // A cache hit sets the tier on the input record itself; a recovery calls the function
        // again for a record a checkpoint held in flight, so it may come with one already.
        EventRecord replayed = like("fan-1", 3).at(seconds(2));
        replayed.tier = Tier.TRUE_LOVE;
        replayed.followedAt = null;
        replayed.lastPurchaseAt = null;

        List<EventRecord> out = enrichAsGiven(10, enter("fan-1").at(seconds(1)), replayed);

        assertThat(out).extracting(e -> e.tier).containsExactly(Tier.AFFINITY, Tier.AFFINITY);
        assertThat(out).extracting(e -> e.followedAt).containsExactly(FOLLOWED, FOLLOWED);
        assertThat(out).extracting(e -> e.lastPurchaseAt).containsExactly(PURCHASED, PURCHASED);
        assertThat(ASKED.get("fan-1")).hasValue(1); // the second from the cache
    }

    @Test
    void aNonFanIsANonFanWithoutDatesAndIsCachedToo() throws Exception {
        List<EventRecord> out =
                enrich(10, enter("u-1").at(seconds(1)), like("u-1", 1).at(seconds(2)));

        assertThat(out).extracting(e -> e.tier).containsExactly(Tier.NON_FAN, Tier.NON_FAN);
        assertThat(out).extracting(e -> e.followedAt).containsOnlyNulls();
        assertThat(out).extracting(e -> e.lastPurchaseAt).containsOnlyNulls();
        assertThat(ASKED.get("u-1")).hasValue(1);
    }

    @Test
    void aViewerEvictedFromAFullCacheIsLookedUpAgain() throws Exception {
        // a cache of two, three viewers in turn: each evicts the least recently used
        List<EventRecord> events = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String user : List.of("fan-a", "u-b", "u-c")) {
                events.add(like(user, 1).at(seconds(round * 3L + events.size())));
            }
        }
        List<EventRecord> out = enrich(2, events.toArray(EventRecord[]::new));

        assertThat(out).hasSize(9);
        assertThat(ASKED.get("fan-a")).hasValue(3);
        assertThat(ASKED.get("u-b")).hasValue(3);
        assertThat(out.stream().filter(e -> e.user.equals("fan-a")))
                .allSatisfy(e -> assertThat(e.tier).isEqualTo(Tier.AFFINITY));

        ASKED.clear();
        // a cache that holds them all asks once each
        enrich(3, events.stream().map(EventRecord::copy).toArray(EventRecord[]::new));
        assertThat(ASKED.get("fan-a")).hasValue(1);
        assertThat(ASKED.get("u-c")).hasValue(1);
    }

    @Test
    void aFailedLookupGivesUnknownAndIsNotCached() throws Exception {
        List<EventRecord> out =
                enrich(10, enter("down").at(seconds(1)), like("down", 1).at(seconds(2)));

        assertThat(out).extracting(e -> e.tier).containsExactly(Tier.UNKNOWN, Tier.UNKNOWN);
        assertThat(ASKED.get("down")).hasValue(2);
    }

    @Test
    void aLookupWithoutAnAnswerGivesUnknownAtTheTimeoutAndIsNotCached() throws Exception {
        EnrichWithFanTier fn = new EnrichWithFanTier(new CountingDirectory(), 10, 600_000, 200);

        List<EventRecord> out =
                enrich(fn, enter("silent").at(seconds(1)), like("silent", 1).at(seconds(2)));

        assertThat(out).extracting(e -> e.tier).containsExactly(Tier.UNKNOWN, Tier.UNKNOWN);
        assertThat(ASKED.get("silent")).hasValue(2);
    }

    @Test
    void aLookupTimeoutMustBePositive() {
        assertThatThrownBy(() -> new EnrichWithFanTier(new CountingDirectory(), 10, 600_000, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
