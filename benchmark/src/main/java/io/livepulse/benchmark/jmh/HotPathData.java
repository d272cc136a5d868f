package io.livepulse.benchmark.jmh;

import io.livepulse.benchmark.Workload;
import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import io.livepulse.fans.FanProfile;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.viewer.ViewerKey;
import io.livepulse.jobs.viewer.ViewerSessions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The JMH benchmarks' input: the benchmark's own workload (200 rooms, a hot room with 35% of the
 * events, Zipf for the rest), as raw JSON and as enriched event records, one event per millisecond.
 */
final class HotPathData {
    static final int EVENTS = 100_000;
    static final long START = 1_780_000_000_000L;
    // far past and near future both pass: the clock check is not what is measured here
    private static final EventCodec CODEC =
            new EventCodec(java.time.Clock.systemUTC(), java.time.Duration.ofDays(3650));

    private HotPathData() {}

    static Workload workload() {
        return new Workload("jmh-room", 200, 0.35, 1.0, 20_000, 7);
    }

    static byte[][] json() {
        Workload.Stream stream = workload().stream("j", 1);
        byte[][] out = new byte[EVENTS][];
        for (int i = 0; i < EVENTS; i++) {
            out[i] = stream.next(START + i).value();
        }
        return out;
    }

    /** The viewer events of the workload, with the fan tier the enrichment would have set. */
    static EventRecord[] enrichedViewerEvents() {
        Workload w = workload();
        Map<String, FanProfile> fans = new HashMap<>();
        for (FanProfile p : w.profiles(START)) {
            fans.put(p.redisKey(), p);
        }
        byte[][] json = json();
        List<EventRecord> out = new java.util.ArrayList<>(EVENTS);
        for (byte[] raw : json) {
            LiveEvent e = ((DecodeResult.Valid) CODEC.decode(raw)).event();
            EventRecord r = EventRecord.of(e);
            if (r.isViewerEvent()) {
                FanProfile p = fans.get(FanProfile.redisKey(r.room, r.user));
                r.tier = p == null ? io.livepulse.fans.Tier.NON_FAN : p.tier();
                r.followedAt = p == null ? null : p.followedAt();
                out.add(r);
            }
        }
        return out.toArray(EventRecord[]::new);
    }

    /** The live_start of every room. */
    static EventRecord[] liveStarts() {
        Workload w = workload();
        Workload.Stream stream = w.stream("s", 1);
        EventRecord[] out = new EventRecord[w.rooms()];
        for (int r = 0; r < w.rooms(); r++) {
            byte[] raw = stream.next(START - 1_000).value();
            out[r] = EventRecord.of(((DecodeResult.Valid) CODEC.decode(raw)).event());
        }
        return out;
    }

    /** The job's stage 1 on heap keyed state, opened: 10 min idle timeout, 1 h retention. */
    static KeyedOneInputStreamOperatorTestHarness<ViewerKey, EventRecord, ViewerDelta>
            viewerSessions() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<ViewerKey, EventRecord, ViewerDelta>(
                        new ViewerSessions(
                                Duration.ofMinutes(10).toMillis(),
                                Duration.ofHours(1).toMillis(),
                                Duration.ofMinutes(10).toMillis()),
                        ViewerSessions::key,
                        ViewerSessions.KEY_TYPE);
        harness.open();
        return harness;
    }
}
