package io.livepulse.jobs.alert;

import static io.livepulse.jobs.alert.TickHistory.*;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.Arrays;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The rules that read a room's ticks (keyed by room): viewer cliff, GMV stall, refund spike, bot
 * traffic, silent room and Redis fallback. Each tick's snapshot is added to a short history of the
 * room's cumulative figures; every rule looks at a window of it and, where it has one, at the
 * room's norm (a moving average per tick, frozen while its own incident fires so that the trouble
 * does not become the norm). Where the room has past broadcasts, the stall and silent-room rules
 * also ask what they did over the same minutes, and expect no more than their median.
 * docs/alerts.md explains each rule.
 */
public class RoomWatch extends KeyedProcessFunction<String, RoomSnapshot, Alert> {
    private static final long serialVersionUID = 1L;

    private static final AlertKind[] KINDS = {
        AlertKind.VIEWER_CLIFF,
        AlertKind.GMV_STALL,
        AlertKind.REFUND_SPIKE,
        AlertKind.BOT_TRAFFIC,
        AlertKind.SILENT_ROOM,
        AlertKind.REDIS_FALLBACK
    };

    private final AlertRules rules;
    private transient ValueState<WatchState> state;
    private transient ValueState<PastBroadcasts> past;

    /** The room's past broadcasts, read once per snapshot ({@code null}: none yet). */
    private transient PastBroadcasts history;

    public RoomWatch(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("watch", WatchState.class));
        past =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "past-broadcasts", PastBroadcasts.class));
    }

    @Override
    public void processElement(RoomSnapshot s, Context ctx, Collector<Alert> out) throws Exception {
        WatchState w = state.value();
        if (w != null && !w.live.equals(s.live)) {
            resolveAll(w, s.room, s.ts, out); // a new broadcast: the old one's incidents are over
            w = null;
        }
        if (s.isFinal) {
            if (w != null) {
                resolveAll(w, s.room, s.ts, out);
                remember(w, s.ts);
            }
            state.clear();
            return;
        }
        history = past.value();
        if (w == null) {
            int ticksKept = (int) (rules.longestWindowMs() / rules.tickMs()) + 2;
            w = WatchState.begin(s.live, s.start, ticksKept);
        }
        w.history.add(s.ts, figures(s));
        for (AlertKind kind : KINDS) {
            Alert a =
                    w.incident(kind)
                            .step(evaluate(kind, w, s.ts), s.ts, s.room, s.live, kind, rules);
            if (a != null) {
                out.collect(a);
            }
        }
        updateNorms(w, s.ts);
        state.update(w);
    }

    /** The rule of one kind at {@code now}: a breach, or {@code null} if it holds not. */
    Breach evaluate(AlertKind kind, WatchState w, long now) {
        return switch (kind) {
            case VIEWER_CLIFF -> viewerCliff(w, now);
            case GMV_STALL -> gmvStall(w, now);
            case REFUND_SPIKE -> refundSpike(w, now);
            case BOT_TRAFFIC -> botTraffic(w);
            case SILENT_ROOM -> silentRoom(w, now);
            case REDIS_FALLBACK -> redisFallback(w);
            default -> throw new IllegalArgumentException("not a tick rule: " + kind);
        };
    }

    private Breach viewerCliff(WatchState w, long now) {
        long from = now - rules.cliffWindowMs();
        if (w.history.at(from, ONLINE) < 0) {
            return null; // the window is not full yet
        }
        long peak = w.history.maxSince(from, ONLINE);
        long online = w.history.latest(ONLINE);
        long drop = peak - online;
        double share = peak == 0 ? 0 : (double) drop / peak;
        if (drop < rules.cliffMinDrop() || share < rules.cliffDrop()) {
            return null;
        }
        return new Breach(
                share >= 0.5 ? Alert.CRITICAL : Alert.WARNING,
                share,
                rules.cliffDrop(),
                (double) peak,
                format(
                        "online viewers fell from %d to %d (-%.0f%%) within %d s",
                        peak, online, share * 100, rules.cliffWindowMs() / 1000));
    }

    private Breach gmvStall(WatchState w, long now) {
        if (now - w.start < rules.warmUpMs()) {
            return null;
        }
        long silentFor = now - w.lastOrderAt;
        double expected = w.ordersPerTickAtLastOrder * rules.stallWindowMs() / rules.tickMs();
        // a lull the room always has at this point of a broadcast (an intermission) is no stall
        Double past = pastMedian(w, now, rules.stallWindowMs(), true);
        if (past != null) {
            expected = Math.min(expected, past);
        }
        long online = w.history.latest(ONLINE);
        if (silentFor < rules.stallWindowMs()
                || expected < rules.stallMinExpected()
                || online < rules.stallMinOnline()) {
            return null;
        }
        double perMinute = w.ordersPerTickAtLastOrder * 60_000 / rules.tickMs();
        return new Breach(
                silentFor >= 2 * rules.stallWindowMs() ? Alert.CRITICAL : Alert.WARNING,
                silentFor / 60_000.0,
                rules.stallWindowMs() / 60_000.0,
                perMinute,
                format(
                        "no paid order for %.1f min with %d viewers online; the room sold %.1f orders/min before (%.1f expected in %d min%s)",
                        silentFor / 60_000.0,
                        online,
                        perMinute,
                        expected,
                        rules.stallWindowMs() / 60_000,
                        past == null
                                ? ""
                                : format(
                                        "; its past broadcasts sold a median of %.0f here", past)));
    }

    private Breach refundSpike(WatchState w, long now) {
        if (now - w.start < rules.warmUpMs()) {
            return null;
        }
        long refunds = w.history.growth(rules.refundWindowMs(), REFUNDS);
        if (refunds < 0) {
            return null;
        }
        double norm = w.refundsPerTick * rules.refundWindowMs() / rules.tickMs();
        double threshold = Math.max(rules.refundMin(), rules.refundFactor() * norm);
        if (refunds < threshold) {
            return null;
        }
        long orders = w.history.growth(rules.refundWindowMs(), ORDERS);
        return new Breach(
                refunds >= 2 * threshold ? Alert.CRITICAL : Alert.WARNING,
                refunds,
                threshold,
                norm,
                format(
                        "%d refunds in %d min (norm %.1f), against %d paid orders in that time",
                        refunds, rules.refundWindowMs() / 60_000, norm, orders));
    }

    private Breach botTraffic(WatchState w) {
        long shortSessions = w.history.growth(rules.botsWindowMs(), SHORT_SESSIONS);
        if (shortSessions < 0) {
            return null;
        }
        long entries = w.history.growth(rules.botsWindowMs(), PV);
        double norm = w.shortSessionsPerTick * rules.botsWindowMs() / rules.tickMs();
        double threshold = Math.max(rules.botsMin(), rules.botsFactor() * norm);
        if (shortSessions < threshold || shortSessions < rules.botsShare() * entries) {
            return null;
        }
        return new Breach(
                Alert.WARNING,
                shortSessions,
                threshold,
                norm,
                format(
                        "%d of %d entries in %d s left within %d s (norm %.1f); %d online, %d of %d viewers ever interacted",
                        shortSessions,
                        entries,
                        rules.botsWindowMs() / 1000,
                        RoomSnapshot.SHORT_SESSION_MS / 1000,
                        norm,
                        w.history.latest(ONLINE),
                        w.history.latest(INTERACTING),
                        w.history.latest(UV)));
    }

    private Breach silentRoom(WatchState w, long now) {
        long events = w.history.growth(rules.silentWindowMs(), EVENTS);
        double expected = w.eventsPerTick * rules.silentWindowMs() / rules.tickMs();
        Double pastPerMinute = pastMedian(w, now, 60_000, false);
        if (pastPerMinute != null) {
            expected = Math.min(expected, pastPerMinute * rules.silentWindowMs() / 60_000);
        }
        long online = w.history.latest(ONLINE);
        if (events != 0 || online == 0 || expected < rules.silentMinExpected()) {
            return null;
        }
        double perSecond = w.eventsPerTick * 1000 / rules.tickMs();
        return new Breach(
                Alert.CRITICAL,
                (now - w.lastEventAt) / 1000.0,
                rules.silentWindowMs() / 1000.0,
                perSecond,
                format(
                        "no event for %d s from a broadcast with %d viewers online that sent %.1f events/s: the feed, not the audience, stopped",
                        (now - w.lastEventAt) / 1000, online, perSecond));
    }

    private Breach redisFallback(WatchState w) {
        long newViewers = w.history.growth(AlertRules.FALLBACK_WINDOW_MS, UV);
        long unknown = w.history.growth(AlertRules.FALLBACK_WINDOW_MS, UNKNOWN_UV);
        if (unknown < rules.fallbackMin() || unknown < rules.fallbackShare() * newViewers) {
            return null;
        }
        double share = (double) unknown / newViewers;
        return new Breach(
                share >= 0.5 ? Alert.CRITICAL : Alert.WARNING,
                share,
                rules.fallbackShare(),
                null,
                format(
                        "%d of %d new viewers in the last minute got tier unknown: Redis is slow or down",
                        unknown, newViewers));
    }

    /** Adds the ended broadcast, minute by minute, to the room's history. */
    private void remember(WatchState w, long end) throws Exception {
        PastBroadcasts p = past.value();
        if (p == null) {
            p = new PastBroadcasts();
        }
        int minutes = Math.min(w.minutes(end), w.ordersPerMinute.length);
        p.add(Arrays.copyOf(w.ordersPerMinute, minutes), Arrays.copyOf(w.eventsPerMinute, minutes));
        past.update(p);
    }

    /**
     * What the room's past broadcasts did over the same minutes of broadcast: the median of the
     * sums of {@code rows} over the whole minutes in the window ending now; {@code null} without
     * history.
     */
    private Double pastMedian(WatchState w, long now, long windowMs, boolean orders) {
        if (history == null) {
            return null;
        }
        int to = (int) ((now - w.start) / 60_000);
        int from = to - (int) Math.max(1, windowMs / 60_000);
        return PastBroadcasts.median(orders ? history.orders : history.events, from, to);
    }

    /** Moves the norms by this tick, except a norm whose own incident is firing. */
    private void updateNorms(WatchState w, long now) {
        long events = tickGrowth(w, EVENTS);
        long shortSessions = tickGrowth(w, SHORT_SESSIONS);
        long refunds = tickGrowth(w, REFUNDS);
        long orders = tickGrowth(w, ORDERS);
        if (events > 0) {
            w.lastEventAt = now;
        }
        w.countMinute(now, orders, events);
        if (!w.normsStarted) {
            w.normsStarted = true;
            w.eventsPerTick = events;
            w.shortSessionsPerTick = shortSessions;
            w.refundsPerTick = refunds;
            w.ordersPerTick = orders;
        } else {
            double a = rules.baselineAlpha();
            if (!w.incident(AlertKind.SILENT_ROOM).firing) {
                w.eventsPerTick += a * (events - w.eventsPerTick);
            }
            if (!w.incident(AlertKind.BOT_TRAFFIC).firing) {
                w.shortSessionsPerTick +=
                        a
                                * (Math.min(shortSessions, spikeCap(w.shortSessionsPerTick))
                                        - w.shortSessionsPerTick);
            }
            if (!w.incident(AlertKind.REFUND_SPIKE).firing) {
                w.refundsPerTick +=
                        a * (Math.min(refunds, spikeCap(w.refundsPerTick)) - w.refundsPerTick);
            }
            w.ordersPerTick += a * (orders - w.ordersPerTick);
        }
        if (orders > 0) {
            w.lastOrderAt = now;
            w.ordersPerTickAtLastOrder = w.ordersPerTick;
        }
    }

    /**
     * The most one tick may add to a spike rule's norm: a burst is judged against the norm before
     * it, so while it builds up (before it fires) it must not lift its own baseline.
     */
    private static double spikeCap(double normPerTick) {
        return Math.max(1, 3 * normPerTick);
    }

    /** What the newest tick added to a cumulative figure (all of it on the first tick). */
    private long tickGrowth(WatchState w, int figure) {
        long before = w.history.size < 2 ? 0 : w.history.at(w.history.latestTs() - 1, figure);
        return w.history.latest(figure) - Math.max(0, before);
    }

    private void resolveAll(WatchState w, String room, long now, Collector<Alert> out) {
        for (AlertKind kind : KINDS) {
            Alert a = w.incident(kind).resolveNow(now, room, w.live, kind);
            if (a != null) {
                a.evidence = a.evidence + " (resolved: the broadcast ended)";
                out.collect(a);
            }
        }
    }

    static long[] figures(RoomSnapshot s) {
        GroupFigures all = s.group(Group.ALL);
        long[] f = new long[FIGURES];
        f[ONLINE] = all.online;
        f[ORDERS] = all.orders;
        f[REFUNDS] = all.refunds;
        f[EVENTS] = s.events;
        f[SHORT_SESSIONS] = s.shortSessions;
        f[PV] = all.pv;
        f[UV] = all.uv;
        f[UNKNOWN_UV] = s.group(Group.UNKNOWN).uv;
        f[INTERACTING] = all.interactingViewers;
        return f;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
