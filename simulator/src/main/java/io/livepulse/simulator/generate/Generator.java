package io.livepulse.simulator.generate;

import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.Comment;
import io.livepulse.events.LiveEvent.Enter;
import io.livepulse.events.LiveEvent.FanClubJoin;
import io.livepulse.events.LiveEvent.Follow;
import io.livepulse.events.LiveEvent.Gift;
import io.livepulse.events.LiveEvent.Goal;
import io.livepulse.events.LiveEvent.Leave;
import io.livepulse.events.LiveEvent.Like;
import io.livepulse.events.LiveEvent.LiveEnd;
import io.livepulse.events.LiveEvent.LiveStart;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.events.LiveEvent.ProductClick;
import io.livepulse.events.LiveEvent.Share;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.simulator.generate.Profile.Behaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Generates the events of every room's broadcasts and the fan profiles of their viewers. The
 * generator decides behaviour (who watches how long, interacts, buys); it computes no metric: the
 * ledger measures the generated events on its own.
 */
public final class Generator {

    /**
     * Fan tiers and their share among fans, and how much longer than the fan average they watch.
     */
    private static final Tier[] FAN_TIERS = {Tier.TRUE_LOVE, Tier.AFFINITY, Tier.PASSERBY};

    private static final double[] TIER_MIX = {0.2, 0.3, 0.5};
    private static final double[] TIER_WATCH_SPREAD = {1.4, 1.1, 0.8};
    private static final double[] TIER_FAN_CLUB = {0.7, 0.3, 0.05};
    private static final double[][] TIER_INTIMACY = {{80, 100}, {50, 80}, {20, 50}};

    /** A small catalogue: SKU and unit price in cents. */
    private static final String[] SKUS = {
        "sku-baijiu-52", "sku-baijiu-38", "sku-gift-box", "sku-cup-set",
        "sku-tasting-kit", "sku-limited", "sku-mini", "sku-bundle"
    };

    private static final long[] PRICES = {
        29_900, 19_900, 39_900, 12_800, 24_900, 15_900, 9_900, 34_900
    };

    private static final String[] COMMENTS = {
        "好喝!", "多少钱?", "主播好", "已下单", "还有库存吗", "支持!", "what's the price?", "赞"
    };

    private static final String[] GIFTS = {"rose", "heart", "rocket", "lion"};
    private static final long[] GIFT_VALUES = {10, 100, 2_000, 30_000};
    private static final String[] SOURCES = {"recommend", "follow_feed", "search", "share", "ad"};

    private static final long GAP_BETWEEN_BROADCASTS_MS = Duration.ofMinutes(30).toMillis();
    private static final long MIN_WATCH_MS = 5_000;
    private static final double SILENT_SHARE = 0.35;

    private final SimulationOptions options;
    private final Behaviour behaviour;
    private final long durationMs;
    private final long keepAliveGapMs;

    private Generator(SimulationOptions options) {
        this.options = options;
        this.behaviour = options.profile().behaviour();
        this.durationMs = Duration.ofMinutes(behaviour.durationMinutes()).toMillis();
        // Viewers who stay show a sign of life (a product click) before the idle timeout would
        // close their session: only viewers who vanish without `leave` are closed by the timeout.
        this.keepAliveGapMs = options.idleTimeout().toMillis() * 8 / 10;
    }

    /** Generates the rooms, their profiles and their events in event-time order. */
    public static Generated generate(SimulationOptions options, IntConsumer roomsDone) {
        return new Generator(options).run(roomsDone);
    }

    /** The output of generation, before delivery faults. */
    public record Generated(
            List<RoomPlan> rooms, List<FanProfile> profiles, List<LiveEvent> events) {}

    /** One room: id, its share of viewers, and the broadcasts it ran. */
    public record RoomPlan(String room, int viewersPerBroadcast, List<String> broadcasts) {}

    private Generated run(IntConsumer roomsDone) {
        int[] viewersPerRoom = splitViewers();
        List<RoomPlan> rooms = new ArrayList<>();
        List<FanProfile> profiles = new ArrayList<>();
        List<LiveEvent> events = new ArrayList<>();
        int nextUser = 0;
        for (int r = 0; r < options.rooms(); r++) {
            String room = String.format("room-%03d", r + 1);
            // Rooms start a minute apart so that their timelines overlap but differ.
            long roomStart = options.start().toEpochMilli() + r * 60_000L;
            int perBroadcast = viewersPerRoom[r];
            int poolSize = options.broadcasts() == 1 ? perBroadcast : perBroadcast * 3 / 2;
            List<Viewer> pool = buildPool(room, r, poolSize, nextUser, roomStart);
            nextUser += poolSize;
            for (Viewer v : pool) {
                if (v.profile != null) {
                    profiles.add(v.profile);
                }
            }
            List<String> lives = new ArrayList<>();
            for (int b = 0; b < options.broadcasts(); b++) {
                String live = room + "-live-" + (b + 1);
                lives.add(live);
                long start = roomStart + b * (durationMs + GAP_BETWEEN_BROADCASTS_MS);
                Rng rng = Rng.forPart(options.seed(), 2, r, b);
                List<Viewer> audience = sampleAudience(pool, perBroadcast, rng);
                events.addAll(new BroadcastDraft(room, live, start, rng).generate(audience));
            }
            rooms.add(new RoomPlan(room, perBroadcast, List.copyOf(lives)));
            roomsDone.accept(r + 1);
        }
        events.sort(Comparator.comparingLong(LiveEvent::ts).thenComparing(LiveEvent::id));
        return new Generated(List.copyOf(rooms), List.copyOf(profiles), events);
    }

    /**
     * Rooms follow Zipf (s = 1) by rank; the first, hot room gets at least its configured share,
     * the others keep their Zipf proportions of the rest.
     */
    private int[] splitViewers() {
        int n = options.rooms();
        double harmonic = 0;
        for (int i = 1; i <= n; i++) {
            harmonic += 1.0 / i;
        }
        double hotShare = Math.max(1.0 / harmonic, options.hotRoomShare());
        double tailScale = n == 1 ? 0 : (1 - hotShare) / (1 - 1.0 / harmonic);
        int[] counts = new int[n];
        int assigned = 0;
        for (int i = 2; i <= n; i++) {
            counts[i - 1] =
                    Math.max(1, (int) Math.floor(options.viewers() * tailScale / (i * harmonic)));
            assigned += counts[i - 1];
        }
        counts[0] = options.viewers() - assigned;
        return counts;
    }

    /**
     * A viewer's device: one each, except that one viewer in five shares a family device with the
     * viewer numbered next to them (two accounts on one phone is ordinary; dozens is not).
     */
    static String deviceOf(String user) {
        long n = Long.parseLong(user.substring(1));
        return n % 10 < 2 ? String.format("d%07d-family", n / 10) : "d" + user.substring(1);
    }

    /** A viewer of one room: the profile is {@code null} for non-fans. */
    private record Viewer(String user, Tier tier, boolean oldFan, FanProfile profile) {
        boolean isFan() {
            return tier.isFan();
        }

        /** The buying group: 0 non-fan, 1 new fan, 2 old fan. */
        int group() {
            return !isFan() ? 0 : oldFan ? 2 : 1;
        }
    }

    /** Builds a room's audience with exact shares of fans, old fans and tiers. */
    private List<Viewer> buildPool(
            String room, int roomIndex, int size, int firstUser, long roomStart) {
        Rng rng = Rng.forPart(options.seed(), 1, roomIndex);
        int fans = (int) Math.round(size * behaviour.fanShare());
        int oldFans = (int) Math.round(fans * behaviour.oldFanShare());
        List<Tier> tiers = new ArrayList<>();
        for (int t = 0; t < FAN_TIERS.length; t++) {
            int count =
                    t == FAN_TIERS.length - 1
                            ? fans - tiers.size()
                            : (int) Math.round(fans * TIER_MIX[t]);
            for (int i = 0; i < count; i++) {
                tiers.add(FAN_TIERS[t]);
            }
        }
        rng.shuffle(tiers);
        long cutoff = roomStart - options.oldFanCutoff().toMillis();
        List<Viewer> pool = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String user = String.format("u%07d", firstUser + i + 1);
            if (i >= fans) {
                pool.add(new Viewer(user, Tier.NON_FAN, false, null));
                continue;
            }
            Tier tier = tiers.get(i);
            int t = tier.ordinal();
            boolean old = i < oldFans;
            long followedAt =
                    old
                            ? cutoff
                                    - rng.between(
                                            Duration.ofDays(1).toMillis(),
                                            Duration.ofDays(720).toMillis())
                            : rng.between(cutoff + 3_600_000L, roomStart - 3_600_000L);
            double intimacy =
                    Math.round(
                                    (TIER_INTIMACY[t][0]
                                                    + rng.nextDouble()
                                                            * (TIER_INTIMACY[t][1]
                                                                    - TIER_INTIMACY[t][0]))
                                            * 100)
                            / 100.0;
            Long lastPurchase =
                    rng.chance(old ? 0.4 : 0.15)
                            ? rng.between(
                                    Math.max(
                                            followedAt,
                                            roomStart - Duration.ofDays(365).toMillis()),
                                    roomStart - 60_000)
                            : null;
            FanProfile profile =
                    new FanProfile(
                            room,
                            user,
                            tier,
                            followedAt,
                            rng.chance(TIER_FAN_CLUB[t]),
                            intimacy,
                            lastPurchase);
            pool.add(new Viewer(user, tier, old, profile));
        }
        rng.shuffle(pool);
        return pool;
    }

    /** Takes the same fraction of every (tier, old-fan) stratum, so shares stay exact. */
    private static List<Viewer> sampleAudience(List<Viewer> pool, int count, Rng rng) {
        if (count >= pool.size()) {
            return new ArrayList<>(pool);
        }
        List<List<Viewer>> strata = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            strata.add(new ArrayList<>());
        }
        for (Viewer v : pool) {
            strata.get(v.tier.ordinal() * 2 + (v.oldFan ? 1 : 0)).add(v);
        }
        List<Viewer> audience = new ArrayList<>(count);
        for (List<Viewer> stratum : strata) {
            rng.shuffle(stratum);
            int take = (int) Math.round((double) stratum.size() * count / pool.size());
            audience.addAll(stratum.subList(0, Math.min(take, stratum.size())));
        }
        rng.shuffle(audience);
        return audience;
    }

    /** A not-yet-numbered event: ids are given once the broadcast's events are in time order. */
    private record Draft(long ts, String user, int n, Function<String, LiveEvent> make) {}

    /** Generates one broadcast of one room. */
    private final class BroadcastDraft {
        private final String room;
        private final String live;
        private final long start;
        private final long end;
        private final Rng rng;
        private final List<Draft> drafts = new ArrayList<>();
        private int orders;
        private int combos;

        BroadcastDraft(String room, String live, long start, Rng rng) {
            this.room = room;
            this.live = live;
            this.start = start;
            this.end = start + durationMs;
            this.rng = rng;
        }

        List<LiveEvent> generate(List<Viewer> audience) {
            boolean[] silent = chooseByQuota(audience, v -> SILENT_SHARE);
            boolean[] buyers = chooseByQuota(audience, v -> rateForGroup(v.group()));
            boolean[] followers =
                    chooseByQuota(audience, v -> v.isFan() ? 0 : behaviour.followRate());
            boolean[] joiners =
                    chooseByQuota(
                            audience,
                            v ->
                                    v.isFan() && !v.profile.fanClub()
                                            ? behaviour.fanClubJoinRate()
                                            : 0);
            long expectedGmv = 0;
            for (int i = 0; i < audience.size(); i++) {
                expectedGmv += buyers[i] ? 25_000 : 0;
                viewer(audience.get(i), silent[i], buyers[i], followers[i], joiners[i]);
            }
            long goalGmv =
                    Math.max(
                            100_00,
                            Math.round(expectedGmv * (0.8 + 0.5 * rng.nextDouble()) / 100_00)
                                    * 100_00);
            long goalFans = Math.max(1, Math.round(audience.size() * 0.02));
            drafts.add(
                    new Draft(
                            start,
                            "",
                            0,
                            id ->
                                    new LiveStart(
                                            id,
                                            room,
                                            live,
                                            start,
                                            "host-" + room.substring(5),
                                            "直播间 " + room + " · 新品专场",
                                            new Goal(goalGmv, goalFans))));
            drafts.add(new Draft(end, "~", 0, id -> new LiveEnd(id, room, live, end)));
            drafts.sort(
                    Comparator.comparingLong(Draft::ts)
                            .thenComparing(Draft::user)
                            .thenComparingInt(Draft::n));
            List<LiveEvent> events = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                events.add(drafts.get(i).make.apply(String.format("%s-%07d", live, i + 1)));
            }
            return events;
        }

        private double rateForGroup(int group) {
            return switch (group) {
                case 0 -> behaviour.nonFanBuyRate();
                case 1 -> behaviour.newFanBuyRate();
                default -> behaviour.oldFanBuyRate();
            };
        }

        /**
         * Picks exactly round(rate x group size) viewers of each buying group, so the shapes of a
         * profile do not wobble with the seed.
         */
        private boolean[] chooseByQuota(List<Viewer> audience, ToDoubleFunction<Viewer> rate) {
            boolean[] chosen = new boolean[audience.size()];
            for (int group = 0; group < 3; group++) {
                List<Integer> members = new ArrayList<>();
                double expected = 0;
                for (int i = 0; i < audience.size(); i++) {
                    if (audience.get(i).group() == group) {
                        members.add(i);
                        expected += rate.applyAsDouble(audience.get(i));
                    }
                }
                rng.shuffle(members);
                long quota = Math.round(expected);
                int picked = 0;
                for (int i = 0; i < members.size() && picked < quota; i++) {
                    if (rate.applyAsDouble(audience.get(members.get(i))) > 0) {
                        chosen[members.get(i)] = true;
                        picked++;
                    }
                }
            }
            return chosen;
        }

        /** One viewer's sessions and actions. */
        private void viewer(
                Viewer v, boolean silent, boolean buys, boolean follows, boolean joins) {
            double watchMean = behaviour.nonFanWatchMeanMs();
            double interactionMean = behaviour.nonFanInteractions();
            if (v.isFan()) {
                watchMean *=
                        behaviour.fanWatchFactor()
                                * TIER_WATCH_SPREAD[v.tier.ordinal()]
                                / meanSpread();
                interactionMean *= behaviour.fanInteractionFactor();
            }
            long planned = Math.max(MIN_WATCH_MS, Math.round(rng.logNormal(watchMean, 0.8)));
            long enter = enterTime();
            List<long[]> sessions = new ArrayList<>();
            if (planned > 60_000 && rng.chance(0.08)) {
                long first = planned * (30 + rng.nextInt(40)) / 100;
                long gap = rng.between(30_000, 180_000);
                sessions.add(new long[] {enter, enter + first});
                sessions.add(new long[] {enter + first + gap, enter + planned + gap});
            } else {
                sessions.add(new long[] {enter, enter + planned});
            }
            // Sessions are cut by the broadcast's end; one starting after it never happens.
            sessions.removeIf(s -> s[0] >= end - 2_000);
            if (sessions.isEmpty()) {
                sessions.add(new long[] {enter, end});
            }
            for (long[] s : sessions) {
                s[1] = Math.min(s[1], end);
            }
            boolean sendsLeave = !rng.chance(0.03);

            List<Action> actions = new ArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                long[] s = sessions.get(i);
                actions.add(
                        new Action(
                                s[0],
                                0,
                                (id, ts) ->
                                        new Enter(
                                                id,
                                                room,
                                                live,
                                                ts,
                                                v.user,
                                                rng.pick(List.of(SOURCES)),
                                                deviceOf(v.user))));
                boolean last = i == sessions.size() - 1;
                if (s[1] < end && (!last || sendsLeave)) {
                    actions.add(
                            new Action(s[1], 2, (id, ts) -> new Leave(id, room, live, ts, v.user)));
                }
            }
            // A third of viewers never interact; the others make up the group's mean.
            int units = silent ? 0 : rng.poisson(interactionMean / (1 - SILENT_SHARE));
            addInteractions(v, actions, sessions, units);
            if (buys) {
                addOrders(v, actions, sessions);
            }
            if (follows) {
                actions.add(
                        new Action(
                                timeIn(sessions),
                                1,
                                (id, ts) -> new Follow(id, room, live, ts, v.user)));
            }
            if (joins) {
                actions.add(
                        new Action(
                                timeIn(sessions),
                                1,
                                (id, ts) -> new FanClubJoin(id, room, live, ts, v.user)));
            }
            addKeepAlives(v, actions, sessions, sendsLeave);
            emit(v, actions);
        }

        private double meanSpread() {
            double m = 0;
            for (int t = 0; t < FAN_TIERS.length; t++) {
                m += TIER_MIX[t] * TIER_WATCH_SPREAD[t];
            }
            return m;
        }

        private long enterTime() {
            Profile.Surge surge = behaviour.surge();
            if (surge != null && rng.chance(surge.entryShare())) {
                return rng.between(
                        start + (long) (durationMs * surge.startFraction()),
                        start + (long) (durationMs * surge.endFraction()));
            }
            return rng.between(start + 1_000, end - 5_000);
        }

        /** A random instant strictly inside one of the sessions (weighted by length). */
        private long timeIn(List<long[]> sessions) {
            long total = 0;
            for (long[] s : sessions) {
                total += Math.max(1, s[1] - s[0] - 1);
            }
            long pick = rng.between(0, total);
            for (long[] s : sessions) {
                long len = Math.max(1, s[1] - s[0] - 1);
                if (pick < len) {
                    return s[0] + 1 + pick;
                }
                pick -= len;
            }
            return sessions.get(0)[0] + 1;
        }

        private void addInteractions(
                Viewer v, List<Action> actions, List<long[]> sessions, int units) {
            while (units > 0) {
                double r = rng.nextDouble();
                long t = timeIn(sessions);
                if (r < 0.05) {
                    actions.add(
                            new Action(t, 1, (id, ts) -> new Share(id, room, live, ts, v.user)));
                    units--;
                } else if (r < 0.12) {
                    addGift(v, actions, t);
                    units--;
                } else if (r < 0.40) {
                    String text = rng.pick(List.of(COMMENTS));
                    actions.add(
                            new Action(
                                    t,
                                    1,
                                    (id, ts) -> new Comment(id, room, live, ts, v.user, text)));
                    units--;
                } else {
                    int count = Math.min(units, 1 + rng.nextInt(5));
                    actions.add(
                            new Action(
                                    t, 1, (id, ts) -> new Like(id, room, live, ts, v.user, count)));
                    units -= count;
                }
            }
        }

        /** A single gift, or a combo of several messages carrying the running value. */
        private void addGift(Viewer v, List<Action> actions, long t) {
            int g = rng.nextInt(GIFTS.length);
            if (rng.chance(0.5)) {
                actions.add(
                        new Action(
                                t,
                                1,
                                (id, ts) ->
                                        new Gift(
                                                id,
                                                room,
                                                live,
                                                ts,
                                                v.user,
                                                GIFTS[g],
                                                GIFT_VALUES[g],
                                                null,
                                                false)));
                return;
            }
            String combo = live + "-combo-" + (++combos);
            int messages = 2 + rng.nextInt(5);
            long at = t;
            for (int m = 1; m <= messages; m++) {
                long value = GIFT_VALUES[g] * m;
                boolean lastMessage = m == messages;
                actions.add(
                        new Action(
                                at,
                                1,
                                (id, ts) ->
                                        new Gift(
                                                id,
                                                room,
                                                live,
                                                ts,
                                                v.user,
                                                GIFTS[g],
                                                value,
                                                combo,
                                                lastMessage)));
                at += rng.between(200, 800);
            }
        }

        private void addOrders(Viewer v, List<Action> actions, List<long[]> sessions) {
            int count = rng.chance(0.25) ? 2 : 1;
            for (int k = 0; k < count; k++) {
                int sku = rng.nextInt(SKUS.length);
                int qty = rng.chance(0.2) ? 2 : 1;
                long amount = PRICES[sku] * qty;
                String order = live + "-order-" + (++orders);
                long click = timeIn(sessions);
                long paid = click + rng.between(5_000, 60_000);
                actions.add(
                        new Action(
                                click,
                                1,
                                (id, ts) ->
                                        new ProductClick(id, room, live, ts, v.user, SKUS[sku])));
                actions.add(
                        new Action(
                                paid,
                                1,
                                (id, ts) ->
                                        new OrderPaid(
                                                id, room, live, ts, v.user, order, SKUS[sku], qty,
                                                amount)));
                if (rng.chance(behaviour.refundRate())) {
                    long refunded = paid + rng.between(30_000, 600_000);
                    actions.add(
                            new Action(
                                    refunded,
                                    1,
                                    (id, ts) ->
                                            new OrderRefunded(
                                                    id, room, live, ts, v.user, order, amount)));
                }
            }
        }

        /**
         * Adds product clicks where a present viewer would otherwise be silent for longer than the
         * idle timeout, so the timeout closes only the sessions of viewers who vanished.
         */
        private void addKeepAlives(
                Viewer v, List<Action> actions, List<long[]> sessions, boolean sendsLeave) {
            for (int i = 0; i < sessions.size(); i++) {
                long[] s = sessions.get(i);
                boolean vanishes = i == sessions.size() - 1 && !sendsLeave && s[1] < end;
                List<Long> times = new ArrayList<>();
                times.add(s[0]);
                for (Action a : actions) {
                    if (a.ts > s[0] && a.ts < s[1]) {
                        times.add(a.ts);
                    }
                }
                if (!vanishes) {
                    times.add(s[1]);
                }
                times.sort(null);
                for (int k = 1; k < times.size(); k++) {
                    long from = times.get(k - 1);
                    long to = times.get(k);
                    for (long t = from + keepAliveGapMs; t < to - 1_000; t += keepAliveGapMs) {
                        String sku = SKUS[rng.nextInt(SKUS.length)];
                        actions.add(
                                new Action(
                                        t,
                                        1,
                                        (id, ts) ->
                                                new ProductClick(id, room, live, ts, v.user, sku)));
                    }
                }
            }
        }

        /**
         * Puts a viewer's actions in time order with strictly increasing timestamps, drops what
         * would fall at or after the broadcast's end, and turns them into drafts.
         */
        private void emit(Viewer v, List<Action> actions) {
            actions.sort(
                    Comparator.comparingLong((Action a) -> a.ts).thenComparingInt(a -> a.rank));
            long previous = Long.MIN_VALUE;
            int n = 0;
            for (Action a : actions) {
                long ts = Math.max(a.ts, previous + 1);
                if (ts >= end) {
                    break;
                }
                previous = ts;
                EventMaker make = a.make;
                long at = ts;
                drafts.add(new Draft(ts, v.user, n++, id -> make.make(id, at)));
            }
        }
    }

    /** One planned action of a viewer; rank orders enter (0) before others (1) before leave (2). */
    private record Action(long ts, int rank, EventMaker make) {}

    /** Builds an event once its id and final timestamp are known. */
    @FunctionalInterface
    private interface EventMaker {
        LiveEvent make(String id, long ts);
    }
}
