package io.livepulse.jobs.tiering;

import static io.livepulse.jobs.Story.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.events.EventType;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntimacyModelTest {
    static final IntimacyModel MODEL =
            IntimacyModel.defaults(); // half-life 30 d, scale 40, 70 / 40
    static final long DAY = 86_400_000L;
    static final long NOW = seconds(0);

    static EventRecord fanClubJoin(String user, long ts) {
        EventRecord e = follow(user).at(ts);
        e.type = EventType.FAN_CLUB_JOIN;
        return e;
    }

    static double expectedIntimacy(double raw) {
        return Math.round(100 * (1 - Math.exp(-raw / 40)) * 100) / 100.0;
    }

    @Test
    void withoutAFollowThereIsNoProfile() {
        assertThat(
                        MODEL.profile(
                                ROOM,
                                "kim",
                                List.of(comment("kim").at(NOW), order("kim", 99_900).at(NOW)),
                                NOW))
                .isNull();
    }

    @Test
    void anActHalfALifeOldCountsHalf() {
        assertThat(MODEL.decay(NOW, NOW)).isEqualTo(1.0);
        assertThat(MODEL.decay(NOW - 30 * DAY, NOW)).isCloseTo(0.5, within(1e-12));
        assertThat(MODEL.decay(NOW - 60 * DAY, NOW)).isCloseTo(0.25, within(1e-12));
        assertThat(MODEL.decay(NOW + DAY, NOW)).isEqualTo(1.0); // the future is not a bonus
    }

    @Test
    void watchingInteractingAndTheFanClubAddUp() {
        long t = NOW - 1000;
        FanProfile p =
                MODEL.profile(
                        ROOM,
                        "lee",
                        List.of(
                                follow("lee").at(t - 10 * DAY),
                                enter("lee").at(t - 100 * 60_000L),
                                like("lee", 4).at(t - 50 * 60_000L),
                                leave("lee").at(t),
                                fanClubJoin("lee", t)),
                        t);
        // 100 minutes x 0.2 + 4 likes x 0.5 + the fan-club bonus of 10, all fresh
        assertThat(p.intimacy()).isEqualTo(expectedIntimacy(20 + 2 + 10));
        assertThat(p.tier()).isEqualTo(Tier.AFFINITY); // 55.07
        assertThat(p.fanClub()).isTrue();
        assertThat(p.followedAt()).isEqualTo(t - 10 * DAY);
    }

    @Test
    void theSameHistoryTwoHalfLivesAgoWeighsAQuarter() {
        List<EventRecord> history =
                List.of(follow("mia").at(NOW - 61 * DAY), order("mia", 50_000).at(NOW - 60 * DAY));
        FanProfile p = MODEL.profile(ROOM, "mia", history, NOW);
        // (8 points per order + 0.02 per yuan x 500 yuan) x 1/4
        assertThat(p.intimacy()).isEqualTo(expectedIntimacy((8 + 10) * 0.25));
        assertThat(p.lastPurchaseAt()).isEqualTo(NOW - 60 * DAY);
    }

    @Test
    void aComboAndRepeatedDeliveriesCountOnce() {
        EventRecord first = gift("noa", 1_000).combo("c1", false).at(NOW - 3);
        EventRecord again = gift("noa", 1_000).combo("c1", false).id(first.id).at(NOW - 3);
        FanProfile p =
                MODEL.profile(
                        ROOM,
                        "noa",
                        List.of(
                                follow("noa").at(NOW - 5),
                                first,
                                again,
                                gift("noa", 3_000).combo("c1", true).at(NOW - 2)),
                        NOW);
        // one interaction (0.5) and 30 yuan of gifts (x 0.05)
        assertThat(p.intimacy()).isCloseTo(expectedIntimacy(0.5 + 1.5), within(1e-9));
    }

    @Test
    void tiersAreCutAtTheirThresholds() {
        assertThat(MODEL.tier(70.0)).isEqualTo(Tier.TRUE_LOVE);
        assertThat(MODEL.tier(69.99)).isEqualTo(Tier.AFFINITY);
        assertThat(MODEL.tier(40.0)).isEqualTo(Tier.AFFINITY);
        assertThat(MODEL.tier(39.99)).isEqualTo(Tier.PASSERBY);
        assertThatThrownBy(() -> new IntimacyModel(30, 0.2, 0.5, 0.05, 8, 0.02, 10, 40, 40, 70))
                .hasMessageContaining("0 <= affinity-min < true-love-min <= 100");
    }
}
