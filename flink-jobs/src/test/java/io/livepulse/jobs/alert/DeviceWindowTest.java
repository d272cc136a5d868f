package io.livepulse.jobs.alert;

import static io.livepulse.jobs.alert.DeviceAccountsTest.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeviceWindowTest {
    static final long B = Buckets.SIZE_MS;

    /** Buckets 0, 10 s, 20 s, ... holding the given pairs, as a room's state would. */
    static Map<Long, DeviceAccounts> buckets(DeviceAccounts... pairs) {
        Map<Long, DeviceAccounts> state = new TreeMap<>();
        for (int i = 0; i < pairs.length; i++) {
            state.put(i * B, pairs[i]);
        }
        return state;
    }

    /** A window over all of {@code state}'s buckets. */
    static DeviceWindow over(Map<Long, DeviceAccounts> state, long minAccounts) throws Exception {
        DeviceWindow w = new DeviceWindow(minAccounts);
        w.moveTo(0, state.size() * B, state::get);
        return w;
    }

    @Test
    void aDeviceIsCrowdedByDistinctAccountsAcrossTheWindowsBuckets() throws Exception {
        var state =
                buckets(
                        pairs("phone-1", "a", "phone-1", "b", "family", "mum"),
                        // a and b again (entered twice), and a third account; the family's second
                        pairs("phone-1", "a", "phone-1", "b", "phone-1", "c"),
                        pairs("family", "dad", "phone-1", "a"));

        assertThat(over(state, 3).crowded(state::get))
                .isEqualTo(new DeviceWindow.Crowded(1, 3, 3, "phone-1"));
        assertThat(over(state, 4).crowded(state::get)).as("repeats count once").isNull();
    }

    @Test
    void theBusiestOfSeveralCrowdedDevicesIsNamedAndTheirAccountsAdded() throws Exception {
        var state =
                buckets(
                        pairs(
                                "设备-一", "甲", "设备-一", "乙", "设备-一", "丙", "设备-一", "丁", "p2", "x", "p2",
                                "y", "p2", "z", "alone", "w"));

        assertThat(over(state, 3).crowded(state::get))
                .isEqualTo(new DeviceWindow.Crowded(2, 7, 4, "设备-一"));
    }

    @Test
    void noPairsNoCrowd() throws Exception {
        assertThat(over(buckets(), 2).crowded(b -> null)).isNull();
        var empty = buckets(new DeviceAccounts());
        assertThat(over(empty, 1).crowded(empty::get)).isNull();
    }

    @Test
    void aBucketLeavingTheWindowTakesAwayOnlyWhatIsInNoOtherBucket() throws Exception {
        var state =
                buckets(
                        pairs("phone", "a", "phone", "b"),
                        pairs("phone", "c", "phone", "a"),
                        pairs("phone", "d"));
        DeviceWindow w = over(state, 4);
        assertThat(w.crowded(state::get)).isEqualTo(new DeviceWindow.Crowded(1, 4, 4, "phone"));

        w.moveTo(B, 3 * B, state::get); // the first bucket leaves: b goes, a stays
        assertThat(over(state, 3).crowded(state::get)).isNotNull();
        assertThat(w.crowded(state::get)).isNull();
        w.moveTo(0, 2 * B, state::get); // back: the first in, the last out
        assertThat(w.crowded(state::get)).isNull();
        state.get(0L).add("phone", "e"); // a late entry into a bucket the window holds
        w.heard(0, state.get(0L), state.get(0L).size() - 1);
        assertThat(w.crowded(state::get)).isEqualTo(new DeviceWindow.Crowded(1, 4, 4, "phone"));
    }

    @Test
    void manyPairsOnFewDevices() throws Exception {
        DeviceAccounts d = new DeviceAccounts();
        for (int i = 0; i < 1_000; i++) {
            d.add("device-" + i % 10, "user-" + i);
        }
        var state = buckets(d);

        DeviceWindow.Crowded crowded = over(state, 100).crowded(state::get);

        assertThat(crowded.devices()).isEqualTo(10);
        assertThat(crowded.accounts()).isEqualTo(1_000);
        assertThat(crowded.mostAccounts()).isEqualTo(100);
        assertThat(crowded.busiestDevice()).startsWith("device-");
    }

    /**
     * The window kept up to date through random entries, late entries, moves forward, back and
     * across gaps, and old buckets dropped, against a recount of its buckets by device and account
     * names.
     */
    @Test
    void keptUpToDateItAgreesWithARecountAfterEveryStep() throws Exception {
        Random random = new Random(20261205);
        Map<Long, DeviceAccounts> state = new TreeMap<>();
        int minAccounts = 4;
        long window = 6 * B;
        DeviceWindow w = new DeviceWindow(minAccounts);
        long now = 0; // the latest end the window was moved to
        long from = 0; // the buckets it holds now: [from, to)
        long to = 0;
        int crowdedSeen = 0;
        for (int step = 0; step < 3_000; step++) {
            int action = random.nextInt(10);
            if (action < 8) { // an entry, mostly in the bucket being filled, sometimes late
                long bucket = now + B * (random.nextInt(8) - (random.nextInt(4) == 0 ? 7 : 0));
                DeviceAccounts d = state.computeIfAbsent(bucket, b -> new DeviceAccounts());
                d.add("device-" + random.nextInt(6), "account-" + random.nextInt(30));
                w.heard(bucket, d, d.size() - 1);
            } else {
                // the next bucket's end, a jump, or an old end (a late bucket's timer)
                int r = random.nextInt(20);
                long end = r < 15 ? now + B : r < 18 ? now + B * (2 + random.nextInt(12)) : now - B;
                w.moveTo(end - window, end, state::get);
                from = end - window;
                to = end;
                now = Math.max(now, end);
                // the rule drops what no window reaches, after moving its window
                state.keySet().removeIf(b -> b < end - window);
            }
            DeviceWindow.Crowded crowded = w.crowded(state::get);
            Map<String, Set<String>> recount = recount(state, from, to);
            if (crowded != null) {
                crowdedSeen++;
            }
            assertAgrees(crowded, recount, minAccounts);
        }
        assertThat(crowdedSeen).as("steps with a crowded device").isBetween(300, 2_700);
    }

    /** Each device's distinct accounts over the buckets [from, to), by name. */
    static Map<String, Set<String>> recount(Map<Long, DeviceAccounts> state, long from, long to)
            throws Exception {
        Map<String, Set<String>> accounts = new HashMap<>();
        for (var bucket : state.entrySet()) {
            if (bucket.getKey() >= from && bucket.getKey() < to) {
                bucket.getValue()
                        .forEachPair(
                                (bytes, offset, length) -> {
                                    String[] pair =
                                            new String(
                                                            bytes,
                                                            offset,
                                                            length,
                                                            StandardCharsets.UTF_8)
                                                    .split("\n");
                                    accounts.computeIfAbsent(pair[0], k -> new HashSet<>())
                                            .add(pair[1]);
                                });
            }
        }
        return accounts;
    }

    static void assertAgrees(
            DeviceWindow.Crowded crowded, Map<String, Set<String>> recount, int minAccounts) {
        int devices = 0;
        int accounts = 0;
        int most = 0;
        for (Set<String> on : recount.values()) {
            if (on.size() >= minAccounts) {
                devices++;
                accounts += on.size();
                most = Math.max(most, on.size());
            }
        }
        if (devices == 0) {
            assertThat(crowded).isNull();
            return;
        }
        assertThat(crowded).isNotNull();
        assertThat(crowded.devices()).isEqualTo(devices);
        assertThat(crowded.accounts()).isEqualTo(accounts);
        assertThat(crowded.mostAccounts()).isEqualTo(most);
        assertThat(recount.get(crowded.busiestDevice())).hasSize(most);
    }
}
