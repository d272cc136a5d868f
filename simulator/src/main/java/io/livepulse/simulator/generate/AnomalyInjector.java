package io.livepulse.simulator.generate;

import io.livepulse.events.EventType;
import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.Comment;
import io.livepulse.events.LiveEvent.Enter;
import io.livepulse.events.LiveEvent.Leave;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.simulator.ledger.Ledger.Anomaly;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Injects labelled anomalies into generated broadcasts, {@code anomalies} of each kind, for the
 * alert rules to find (docs/alerts.md). Each one is placed in the middle of a broadcast that can
 * show it (enough viewers, orders or events at that moment, checked on the stream as it is then),
 * away from the broadcast's start and end, and apart from the room's other anomalies. The ledger is
 * computed from the changed stream, so every figure still matches what the job must report.
 */
public final class AnomalyInjector {
    /** What can be injected, in the order they are placed (the most demanding first). */
    enum Kind {
        GMV_STALL,
        REFUND_SPIKE,
        COMMENT_FLOOD,
        SILENT_ROOM,
        VIEWER_CLIFF,
        BOT_TRAFFIC;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final long MINUTE = 60_000;

    /** No anomaly this close to a broadcast's start (rules warm up) or end. */
    private static final long AFTER_START_MS = 20 * MINUTE;

    private static final long BEFORE_END_MS = 25 * MINUTE;

    /** A room's anomalies are at least this far apart, so that each is its own incident. */
    private static final long APART_MS = 35 * MINUTE;

    /** The rules' default windows that decide when an anomaly becomes visible. */
    static final long STALL_WINDOW_MS = 5 * MINUTE;

    static final long SILENT_WINDOW_MS = 20_000;

    private static final long STALL_MS = 12 * MINUTE;
    private static final long SILENCE_MS = 3 * MINUTE;
    private static final double CLIFF_SHARE = 0.6;
    private static final int BOTS = 150;
    private static final int BOT_DEVICES = 6;
    private static final String[] SPAM = {
        "加V领红包", "私信领优惠券", "点主页看福利", "free gift click my profile"
    };

    private final SimulationOptions options;
    private final Map<String, List<LiveEvent>> byLive = new LinkedHashMap<>();
    private final Map<String, long[]> spanOfLive = new HashMap<>();
    private final Map<String, List<Long>> placedInRoom = new HashMap<>();
    private final List<Anomaly> labels = new ArrayList<>();

    private AnomalyInjector(SimulationOptions options, List<LiveEvent> events) {
        this.options = options;
        for (LiveEvent e : events) {
            byLive.computeIfAbsent(e.live(), l -> new ArrayList<>()).add(e);
            if (e.type() == EventType.LIVE_START) {
                spanOfLive.computeIfAbsent(e.live(), l -> new long[2])[0] = e.ts();
            } else if (e.type() == EventType.LIVE_END) {
                spanOfLive.computeIfAbsent(e.live(), l -> new long[2])[1] = e.ts();
            }
        }
    }

    /** The stream with its anomalies, and their labels. */
    public record Injected(List<LiveEvent> events, List<Anomaly> anomalies) {}

    /** Injects {@code options.anomalies()} anomalies of each kind into the sorted events. */
    public static Injected inject(List<LiveEvent> events, SimulationOptions options) {
        if (options.anomalies() == 0) {
            return new Injected(events, List.of());
        }
        return new AnomalyInjector(options, events).run();
    }

    private Injected run() {
        for (Kind kind : Kind.values()) {
            for (int k = 0; k < options.anomalies(); k++) {
                if (!place(kind, k)) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "cannot place %d %s anomalies: only %d fit (each needs a broadcast"
                                            + " busy enough at that moment, %d min from its start and %d min"
                                            + " from its end, %d min from the room's other anomalies);"
                                            + " use more viewers, longer broadcasts or fewer --anomalies",
                                    options.anomalies(),
                                    kind.wireName(),
                                    k,
                                    AFTER_START_MS / MINUTE,
                                    BEFORE_END_MS / MINUTE,
                                    APART_MS / MINUTE));
                }
            }
        }
        List<LiveEvent> all = new ArrayList<>();
        byLive.values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(LiveEvent::ts).thenComparing(LiveEvent::id));
        return new Injected(all, List.copyOf(labels));
    }

    /** Tries the candidate minutes of every broadcast in a seeded order; true if one fitted. */
    private boolean place(Kind kind, int k) {
        Rng rng = Rng.forPart(options.seed(), 7, kind.ordinal(), k);
        List<long[]> candidates = new ArrayList<>(); // {live index, t}
        List<String> lives = new ArrayList<>(byLive.keySet());
        for (int i = 0; i < lives.size(); i++) {
            long[] span = spanOfLive.get(lives.get(i));
            if (span == null || span[0] == 0 || span[1] == 0) {
                continue;
            }
            for (long t = span[0] + AFTER_START_MS; t <= span[1] - BEFORE_END_MS; t += MINUTE) {
                candidates.add(new long[] {i, t + rng.between(0, MINUTE / 1000) * 1000});
            }
        }
        rng.shuffle(candidates);
        for (long[] c : candidates) {
            String live = lives.get((int) c[0]);
            List<LiveEvent> events = byLive.get(live);
            String room = events.get(0).room();
            long t = c[1];
            List<Long> placed = placedInRoom.computeIfAbsent(room, r -> new ArrayList<>());
            if (placed.stream().anyMatch(p -> Math.abs(p - t) < APART_MS)) {
                continue;
            }
            String tag = live + "-" + kind.wireName() + "-" + k;
            Anomaly a = tryInject(kind, room, live, events, t, tag, rng);
            if (a != null) {
                events.sort(Comparator.comparingLong(LiveEvent::ts).thenComparing(LiveEvent::id));
                placed.add(t);
                labels.add(a);
                return true;
            }
        }
        return false;
    }

    /** Injects one anomaly at {@code t} if the broadcast can show it; its label, or null. */
    private Anomaly tryInject(
            Kind kind,
            String room,
            String live,
            List<LiveEvent> events,
            long t,
            String tag,
            Rng rng) {
        List<String> present = presentAt(events, t);
        return switch (kind) {
            case VIEWER_CLIFF -> {
                if (present.size() < 200) {
                    yield null;
                }
                rng.shuffle(present);
                Set<String> leaving =
                        new HashSet<>(present.subList(0, (int) (present.size() * CLIFF_SHARE)));
                events.removeIf(e -> e.ts() >= t && leaving.contains(e.user()));
                int i = 0;
                for (String user : new TreeSet<>(leaving)) {
                    events.add(
                            new Leave(
                                    tag + "-" + i++, room, live, t + rng.between(0, 20_000), user));
                }
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + 20_000,
                        t,
                        leaving.size()
                                + " of "
                                + present.size()
                                + " viewers present left within 20 s");
            }
            case GMV_STALL -> {
                long recentOrders = count(events, t - 10 * MINUTE, t, EventType.ORDER_PAID);
                if (recentOrders < 25 || present.size() < 50) {
                    yield null;
                }
                Set<String> lostOrders = new HashSet<>();
                for (LiveEvent e : events) {
                    if (e instanceof OrderPaid p && e.ts() >= t && e.ts() < t + STALL_MS) {
                        lostOrders.add(p.order());
                    }
                }
                events.removeIf(
                        e ->
                                (e instanceof OrderPaid p && lostOrders.contains(p.order()))
                                        || (e instanceof OrderRefunded r
                                                && lostOrders.contains(r.order())));
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + STALL_MS,
                        t + STALL_WINDOW_MS,
                        "no paid order for "
                                + STALL_MS / MINUTE
                                + " min ("
                                + lostOrders.size()
                                + " orders removed; "
                                + recentOrders
                                + " in the 10 min before)");
            }
            case REFUND_SPIKE -> {
                Set<String> refunded = new HashSet<>();
                for (LiveEvent e : events) {
                    if (e instanceof OrderRefunded r) {
                        refunded.add(r.order());
                    }
                }
                Set<String> here = new HashSet<>(present);
                List<OrderPaid> refundable = new ArrayList<>();
                for (LiveEvent e : events) {
                    if (e instanceof OrderPaid p
                            && e.ts() >= t - 30 * MINUTE
                            && e.ts() < t
                            && !refunded.contains(p.order())
                            && here.contains(p.user())) {
                        refundable.add(p);
                    }
                }
                if (refundable.size() < 24) {
                    yield null;
                }
                rng.shuffle(refundable);
                int n = Math.min(200, Math.max(20, refundable.size() / 2));
                for (int i = 0; i < n; i++) {
                    OrderPaid p = refundable.get(i);
                    events.add(
                            new OrderRefunded(
                                    tag + "-" + i,
                                    room,
                                    live,
                                    t + rng.between(0, 30_000),
                                    p.user(),
                                    p.order(),
                                    p.amountCents()));
                }
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + 30_000,
                        t,
                        n + " orders of the last 30 min refunded within 30 s");
            }
            case COMMENT_FLOOD -> {
                if (present.size() < 30) {
                    yield null;
                }
                long natural = count(events, t - MINUTE, t, EventType.COMMENT);
                int n = (int) Math.max(150, 2 * natural);
                String spam = SPAM[rng.nextInt(SPAM.length)];
                for (int i = 0; i < n; i++) {
                    // near-same texts: the same words with different digits and punctuation
                    String text =
                            spam + " " + rng.between(100, 1000) + (rng.chance(0.5) ? "!!" : "~");
                    events.add(
                            new Comment(
                                    tag + "-" + i,
                                    room,
                                    live,
                                    t + rng.between(0, MINUTE),
                                    rng.pick(present),
                                    text));
                }
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + MINUTE,
                        t,
                        n
                                + " near-same comments \""
                                + spam
                                + " …\" within 60 s ("
                                + natural
                                + " comments in the minute before)");
            }
            case SILENT_ROOM -> {
                long recent = count(events, t - 2 * MINUTE, t, null);
                if (recent < 150 || present.size() < 20) {
                    yield null;
                }
                int before = events.size();
                events.removeIf(e -> e.ts() >= t && e.ts() < t + SILENCE_MS);
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + SILENCE_MS,
                        t + SILENT_WINDOW_MS,
                        "the feed lost all "
                                + (before - events.size())
                                + " events of "
                                + SILENCE_MS / MINUTE
                                + " min ("
                                + recent
                                + " in the 2 min before)");
            }
            case BOT_TRAFFIC -> {
                for (int i = 0; i < BOTS; i++) {
                    String user = String.format("bot-%s-%03d", tag, i);
                    long enter = t + rng.between(0, MINUTE);
                    String device = "bot-dev-" + tag + "-" + i % BOT_DEVICES;
                    events.add(new Enter(tag + "-e" + i, room, live, enter, user, "ad", device));
                    events.add(
                            new Leave(
                                    tag + "-l" + i,
                                    room,
                                    live,
                                    enter + rng.between(1_000, 6_000),
                                    user));
                }
                // the same burst, seen by the device rule: 25 accounts on each of 6 phones
                labels.add(
                        new Anomaly(
                                "shared_device",
                                room,
                                live,
                                t,
                                t + MINUTE,
                                t,
                                BOTS
                                        + " accounts entered from "
                                        + BOT_DEVICES
                                        + " devices within 60 s"));
                yield label(
                        kind,
                        room,
                        live,
                        t,
                        t + MINUTE + 6_000,
                        t,
                        BOTS
                                + " new accounts entered within 60 s and left within 6 s, without a word");
            }
        };
    }

    private Anomaly label(
            Kind kind,
            String room,
            String live,
            long start,
            long end,
            long detectableAt,
            String detail) {
        return new Anomaly(kind.wireName(), room, live, start, end, detectableAt, detail);
    }

    /**
     * Viewers in the room at {@code t}: their last enter or leave before it was an enter, and they
     * are still heard from within the idle timeout after it (not vanished).
     */
    private List<String> presentAt(List<LiveEvent> events, long t) {
        Map<String, Boolean> inRoom = new HashMap<>();
        Set<String> heardAfter = new HashSet<>();
        long horizon = t + options.idleTimeout().toMillis();
        for (LiveEvent e : events) {
            if (e.user() == null) {
                continue;
            }
            if (e.ts() < t) {
                if (e.type() == EventType.ENTER) {
                    inRoom.put(e.user(), true);
                } else if (e.type() == EventType.LEAVE) {
                    inRoom.put(e.user(), false);
                }
            } else if (e.ts() < horizon) {
                heardAfter.add(e.user());
            }
        }
        List<String> present = new ArrayList<>();
        for (Map.Entry<String, Boolean> u : new TreeMap<>(inRoom).entrySet()) {
            if (u.getValue() && heardAfter.contains(u.getKey())) {
                present.add(u.getKey());
            }
        }
        return present;
    }

    /** Events in [from, to) of a type (any type when null). */
    private static long count(List<LiveEvent> events, long from, long to, EventType type) {
        return events.stream()
                .filter(e -> e.ts() >= from && e.ts() < to && (type == null || e.type() == type))
                .count();
    }
}
