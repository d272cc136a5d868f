package io.livepulse.simulator.ledger;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.LiveStart;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger.BroadcastLedger;
import io.livepulse.simulator.ledger.Ledger.DeliveryStats;
import io.livepulse.simulator.ledger.Ledger.LateRecord;
import io.livepulse.simulator.ledger.Ledger.MalformedRecord;
import io.livepulse.simulator.ledger.Ledger.OnlineSample;
import io.livepulse.simulator.ledger.Ledger.Ratios;
import io.livepulse.simulator.ledger.Ledger.RoomLedger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Computes the ledger from the unique events, the fan profiles and the delivered stream, following
 * the definitions in docs/metrics.md. Nothing here is shared with the Flink job.
 */
public final class LedgerBuilder {

    public static final int LEDGER_VERSION = 3;

    private final SimulationOptions options;
    private final Map<String, FanProfile> profiles = new TreeMap<>();

    private LedgerBuilder(SimulationOptions options, Collection<FanProfile> profiles) {
        this.options = options;
        for (FanProfile p : profiles) {
            this.profiles.put(p.redisKey(), p);
        }
    }

    public static Ledger build(
            SimulationOptions options,
            List<LiveEvent> events,
            Collection<FanProfile> profiles,
            List<Delivery> deliveries,
            List<Ledger.Anomaly> anomalies) {
        return new LedgerBuilder(options, profiles).build(events, deliveries, anomalies);
    }

    private Ledger build(
            List<LiveEvent> events, List<Delivery> deliveries, List<Ledger.Anomaly> anomalies) {
        // room -> live -> events, all in (ts, id) order
        Map<String, Map<String, List<LiveEvent>>> byRoom = new TreeMap<>();
        for (LiveEvent e : events) {
            byRoom.computeIfAbsent(e.room(), r -> new TreeMap<>())
                    .computeIfAbsent(e.live(), l -> new ArrayList<>())
                    .add(e);
        }
        List<RoomLedger> rooms = new ArrayList<>();
        List<ViewerTally> everyone = new ArrayList<>();
        String hotRoom = null;
        long hotEvents = -1;
        for (var room : byRoom.entrySet()) {
            List<BroadcastLedger> broadcasts = new ArrayList<>();
            long roomEvents = 0;
            for (List<LiveEvent> liveEvents : room.getValue().values()) {
                liveEvents.sort(
                        Comparator.comparingLong(LiveEvent::ts).thenComparing(LiveEvent::id));
                roomEvents += liveEvents.size();
                broadcasts.add(broadcast(liveEvents, everyone));
            }
            broadcasts = RecapLedger.withRecaps(broadcasts, room.getValue());
            if (roomEvents > hotEvents) {
                hotEvents = roomEvents;
                hotRoom = room.getKey();
            }
            rooms.add(
                    new RoomLedger(
                            room.getKey(),
                            roomEvents,
                            (double) roomEvents / events.size(),
                            broadcasts));
        }
        long broadcastCount = rooms.stream().mapToLong(r -> r.broadcasts().size()).sum();
        Ledger.Summary summary =
                new Ledger.Summary(
                        broadcastCount,
                        Figures.withoutPcu(everyone),
                        tierFigures(everyone, false),
                        Figures.withoutPcu(filter(everyone, v -> v.tier.isFan())),
                        Figures.withoutPcu(filter(everyone, v -> v.tier == Tier.NON_FAN)),
                        Figures.withoutPcu(filter(everyone, v -> v.oldFan)),
                        ratios(everyone),
                        hotRoom,
                        events.isEmpty() ? 0 : (double) hotEvents / events.size());
        return new Ledger(
                generatorInfo(),
                definitions(),
                deliveryStats(events, deliveries),
                rooms,
                List.copyOf(anomalies),
                summary);
    }

    private BroadcastLedger broadcast(List<LiveEvent> events, List<ViewerTally> everyone) {
        LiveEvent first = events.get(0);
        LiveStart liveStart = null;
        // without live_end, the broadcast is over when it has been silent for live-idle-end
        long end = events.get(events.size() - 1).ts() + options.liveIdleEnd().toMillis();
        Map<String, List<LiveEvent>> byUser = new TreeMap<>();
        for (LiveEvent e : events) {
            switch (e.type()) {
                case LIVE_START -> liveStart = (LiveStart) e;
                case LIVE_END -> end = e.ts();
                default -> byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e);
            }
        }
        long start = liveStart != null ? liveStart.ts() : first.ts();
        long cutoff = start - options.oldFanCutoff().toMillis();
        List<ViewerTally> viewers = new ArrayList<>();
        for (var entry : byUser.entrySet()) {
            FanProfile profile = profiles.get(FanProfile.redisKey(first.room(), entry.getKey()));
            ViewerTally tally =
                    new ViewerTally(
                            profile == null ? Tier.NON_FAN : profile.tier(),
                            profile != null && profile.isOldFan(cutoff),
                            profile != null
                                    && profile.lastPurchaseAt() != null
                                    && profile.lastPurchaseAt() < start);
            tally.replay(entry.getValue(), end, options.idleTimeout().toMillis());
            // Any event makes a viewer (feeds lose `enter` messages); only `enter` opens a session.
            viewers.add(tally);
        }
        everyone.addAll(viewers);
        Figures total = Figures.of(viewers);
        long[] peak = Figures.peak(viewers);
        Ledger.Funnel funnel =
                new Ledger.Funnel(
                        filter(viewers, v -> v.tier == Tier.NON_FAN).size(),
                        total.follows(),
                        total.fanClubJoins(),
                        total.interactingViewers(),
                        total.buyers(),
                        total.repeatBuyers(),
                        total.sharers());
        Ledger.Goal goal = goal(liveStart, total);
        return new BroadcastLedger(
                first.room(),
                first.live(),
                start,
                end,
                end - start,
                peak[0],
                peak[1] < 0 ? null : peak[1],
                total,
                tierFigures(viewers, true),
                Figures.of(filter(viewers, v -> v.tier.isFan())),
                Figures.of(filter(viewers, v -> v.oldFan)),
                ratios(viewers),
                funnel,
                goal,
                onlineByMinute(viewers, start, end),
                null);
    }

    private static Ledger.Goal goal(LiveStart liveStart, Figures total) {
        if (liveStart == null || liveStart.goal() == null) {
            return new Ledger.Goal(null, null, null, null);
        }
        Long gmv = liveStart.goal().gmvCents();
        Long fans = liveStart.goal().newFans();
        return new Ledger.Goal(
                gmv,
                fans,
                gmv == null ? null : Figures.ratio(total.gmvCents(), gmv),
                fans == null ? null : Figures.ratio(total.follows(), fans));
    }

    private static Map<String, Figures> tierFigures(List<ViewerTally> viewers, boolean withPcu) {
        Map<String, Figures> tiers = new LinkedHashMap<>();
        for (Tier t : Tier.values()) {
            List<ViewerTally> group = filter(viewers, v -> v.tier == t);
            tiers.put(t.wireName(), withPcu ? Figures.of(group) : Figures.withoutPcu(group));
        }
        return tiers;
    }

    /** Fans against non-fans (tier non_fan; viewers of unknown tier are in neither group). */
    private static Ratios ratios(List<ViewerTally> viewers) {
        Figures all = Figures.withoutPcu(viewers);
        Figures fans = Figures.withoutPcu(filter(viewers, v -> v.tier.isFan()));
        Figures nonFans = Figures.withoutPcu(filter(viewers, v -> v.tier == Tier.NON_FAN));
        Figures oldFans = Figures.withoutPcu(filter(viewers, v -> v.oldFan));
        return new Ratios(
                Figures.ratio(fans.uv(), all.uv()),
                lift(fans.avgWatchMs(), nonFans.avgWatchMs()),
                lift(fans.interactionsPerCapita(), nonFans.interactionsPerCapita()),
                Figures.ratio(fans.gmvCents(), all.gmvCents()),
                Figures.ratio(oldFans.gmvCents(), all.gmvCents()));
    }

    private static Double lift(Double fans, Double nonFans) {
        return fans == null || nonFans == null || nonFans == 0 ? null : fans / nonFans - 1;
    }

    /** Online viewers at every whole minute of event time within [start, end]. */
    private static List<OnlineSample> onlineByMinute(
            List<ViewerTally> viewers, long start, long end) {
        List<OnlineSample> samples = new ArrayList<>();
        long firstMark = Math.floorDiv(start + 59_999, 60_000) * 60_000;
        for (long m = firstMark; m <= end; m += 60_000) {
            long total = 0;
            Map<String, Long> tiers = new LinkedHashMap<>();
            for (Tier t : Tier.values()) {
                tiers.put(t.wireName(), 0L);
            }
            for (ViewerTally v : viewers) {
                for (long[] s : v.sessions) {
                    if (s[0] <= m && m < s[1]) {
                        total++;
                        tiers.merge(v.tier.wireName(), 1L, Long::sum);
                        break;
                    }
                }
            }
            samples.add(new OnlineSample(m, total, tiers));
        }
        return samples;
    }

    private Ledger.Generator generatorInfo() {
        return new Ledger.Generator(
                LEDGER_VERSION,
                options.seed(),
                options.profile().cliName(),
                options.rooms(),
                options.viewers(),
                options.broadcasts(),
                options.start().toString(),
                options.duplicateRate(),
                options.maxDelayMs(),
                options.malformed(),
                options.late(),
                options.lostLiveEnds(),
                options.anomalies());
    }

    private Ledger.Definitions definitions() {
        return new Ledger.Definitions(
                options.idleTimeout().toMillis(),
                options.liveIdleEnd().toMillis(),
                options.oldFanCutoff().toMillis());
    }

    private static DeliveryStats deliveryStats(List<LiveEvent> events, List<Delivery> deliveries) {
        long duplicates = 0;
        List<MalformedRecord> malformed = new ArrayList<>();
        List<LateRecord> late = new ArrayList<>();
        Base64.Encoder base64 = Base64.getEncoder();
        EventCodec codec = new EventCodec();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            switch (d.kind()) {
                case DUPLICATE -> duplicates++;
                case MALFORMED ->
                        malformed.add(
                                new MalformedRecord(
                                        i,
                                        d.key(),
                                        d.expectedReason(),
                                        base64.encodeToString(d.value())));
                case LATE -> {
                    LiveEvent e = ((DecodeResult.Valid) codec.decode(d.value())).event();
                    late.add(new LateRecord(i, e.id(), e.room(), e.ts()));
                }
                case EVENT -> {}
            }
        }
        return new DeliveryStats(
                deliveries.size(),
                events.size(),
                duplicates,
                malformed.size(),
                malformed,
                late.size(),
                late);
    }

    private static List<ViewerTally> filter(
            List<ViewerTally> viewers, Predicate<ViewerTally> keep) {
        List<ViewerTally> out = new ArrayList<>();
        for (ViewerTally v : viewers) {
            if (keep.test(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
