package io.livepulse.benchmark;

import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's traffic: seeded, rooms drawn from a Zipf law with one hot room holding a fixed
 * share of all events, viewers spread over the rooms by the same weights, and realistic contract
 * JSON (enter with source and device, likes, comments, clicks, gifts, orders, leaves). Fan tiers
 * are a pure function of (room, viewer), so the Redis load and the in-process directory agree.
 */
public final class Workload {
    /** The hot room: index 0, always. */
    public static final int HOT = 0;

    private static final String[] SOURCES = {"recommend", "follow_feed", "search", "share", "ad"};
    private static final String[] COMMENTS = {
        "主播好美",
        "这个多少钱",
        "上链接",
        "已拍",
        "666",
        "how much is the red one?",
        "求讲解3号",
        "发货快吗",
        "love this",
        "还有库存吗"
    };
    private static final String[] SKUS = {"sku-baijiu-500", "sku-gift-box", "sku-cup-set"};

    private final String roomPrefix;
    private final int rooms;
    private final double hotShare;
    private final double[] cumulative;
    private final int[] firstViewer;
    private final int[] viewersIn;
    private final int viewers;
    private final long seed;
    // multiplier coprime with the viewer count: i -> i * step mod viewers visits every viewer once
    private final long step;

    /**
     * @param roomPrefix the start of every room id
     * @param rooms rooms, at least 2
     * @param hotShare share of events (and viewers) in the hot room, in (0, 1)
     * @param zipfExponent exponent of the Zipf law over the other rooms
     * @param viewers viewers over all rooms; each is in exactly one room
     */
    public Workload(
            String roomPrefix,
            int rooms,
            double hotShare,
            double zipfExponent,
            int viewers,
            long seed) {
        if (rooms < 2 || hotShare <= 0 || hotShare >= 1 || viewers < rooms) {
            throw new IllegalArgumentException(
                    "a workload needs at least 2 rooms, a hot share in (0, 1) and a viewer per"
                            + " room; got rooms="
                            + rooms
                            + " hot-share="
                            + hotShare
                            + " viewers="
                            + viewers);
        }
        this.roomPrefix = roomPrefix;
        this.rooms = rooms;
        this.hotShare = hotShare;
        this.seed = seed;
        double[] weight = new double[rooms];
        double harmonic = 0;
        for (int r = 1; r < rooms; r++) {
            harmonic += 1 / Math.pow(r, zipfExponent);
        }
        weight[HOT] = hotShare;
        for (int r = 1; r < rooms; r++) {
            weight[r] = (1 - hotShare) / Math.pow(r, zipfExponent) / harmonic;
        }
        cumulative = new double[rooms];
        double sum = 0;
        for (int r = 0; r < rooms; r++) {
            sum += weight[r];
            cumulative[r] = sum;
        }
        cumulative[rooms - 1] = 1.0;
        firstViewer = new int[rooms];
        viewersIn = new int[rooms];
        int next = 0;
        for (int r = 0; r < rooms; r++) {
            firstViewer[r] = next;
            viewersIn[r] = Math.max(1, (int) Math.round(weight[r] * viewers));
            next += viewersIn[r];
        }
        this.viewers = next;
        long step = 1_000_003L;
        while (java.math.BigInteger.valueOf(step).gcd(java.math.BigInteger.valueOf(next)).intValue()
                != 1) {
            step += 2;
        }
        this.step = step;
    }

    public int rooms() {
        return rooms;
    }

    public double hotShare() {
        return hotShare;
    }

    /** Viewers over all rooms (each room has at least one, so this can exceed the request). */
    public int viewers() {
        return viewers;
    }

    /** Room ids are {@code <roomPrefix>-00042}: phases that must not share boards use their own. */
    public String room(int r) {
        return String.format("%s-%05d", roomPrefix, r);
    }

    public String live(int r) {
        return room(r) + "-live-1";
    }

    public static String user(int viewer) {
        return String.format("u%07d", viewer);
    }

    /** A room index drawn from the weights. */
    int drawRoom(double u) {
        int lo = 0;
        int hi = rooms - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The fan tier of a viewer, or null for a non-fan: 10% true love, 15% affinity, 25% passer-by.
     */
    static Tier tierOf(int viewer) {
        int bucket = (int) Long.remainderUnsigned(mix(viewer), 100);
        if (bucket < 10) {
            return Tier.TRUE_LOVE;
        }
        if (bucket < 25) {
            return Tier.AFFINITY;
        }
        return bucket < 50 ? Tier.PASSERBY : null;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb93fe53ec5b9L;
        return x ^ (x >>> 33);
    }

    /** The fans' profiles; 60% of them followed before the 30-day old-fan cut-off. */
    public List<FanProfile> profiles(long broadcastStart) {
        List<FanProfile> profiles = new ArrayList<>(viewers / 2);
        for (int r = 0; r < rooms; r++) {
            for (int v = firstViewer[r]; v < firstViewer[r] + viewersIn[r]; v++) {
                Tier tier = tierOf(v);
                if (tier == null) {
                    continue;
                }
                boolean old = Long.remainderUnsigned(mix(v + 7_777_777L), 10) < 6;
                long followedAt = broadcastStart - Duration.ofDays(old ? 120 : 5).toMillis();
                profiles.add(
                        new FanProfile(
                                room(r),
                                user(v),
                                tier,
                                followedAt,
                                tier == Tier.TRUE_LOVE,
                                tier == Tier.TRUE_LOVE ? 80 : tier == Tier.AFFINITY ? 40 : 10,
                                null));
            }
        }
        return profiles;
    }

    /** One Kafka record of the workload: key (room), value (contract JSON), event time. */
    public record Record(String key, byte[] value, long ts, int room) {}

    /** A stream of events; {@code idPrefix} keeps ids unique across streams. */
    public Stream stream(String idPrefix, long streamSeed) {
        return new Stream(idPrefix, streamSeed);
    }

    /** Every room's live_start, then events drawn from the weights. Not thread-safe. */
    public final class Stream {
        private final String idPrefix;
        private final SplittableRandom random;
        private final BitSet watching = new BitSet();
        private long seq;
        private int startsSent;

        Stream(String idPrefix, long streamSeed) {
            this.idPrefix = idPrefix;
            this.random = new SplittableRandom(seed * 31 + streamSeed);
        }

        /** The next record, stamped {@code ts}. */
        public Record next(long ts) {
            if (startsSent < rooms) {
                int r = startsSent++;
                return record(
                        r,
                        new LiveEvent.LiveStart(
                                id(),
                                room(r),
                                live(r),
                                ts,
                                "host-" + r,
                                "直播间 " + r,
                                new LiveEvent.Goal(50_000_000L, 2_000L)));
            }
            int r = drawRoom(random.nextDouble());
            int v = firstViewer[r] + random.nextInt(viewersIn[r]);
            return record(r, event(r, v, ts));
        }

        /**
         * Every viewer enters once, rooms interleaved (for the scale phase): the record for the
         * {@code i}-th viewer after the live_starts, {@code i} in [0, viewers).
         */
        public Record enter(int i, long ts) {
            if (startsSent < rooms) {
                return next(ts);
            }
            int v = (int) (((long) i * step) % viewers);
            int r = roomOf(v);
            watching.set(v);
            return record(
                    r,
                    new LiveEvent.Enter(
                            id(),
                            room(r),
                            live(r),
                            ts,
                            user(v),
                            SOURCES[v % SOURCES.length],
                            "dev-" + v));
        }

        /**
         * A like from a viewer who is watching, in a room drawn from the weights (or the room's
         * first viewer if none is): moves event time on without changing who is online.
         */
        public Record heartbeat(long ts) {
            int r = drawRoom(random.nextDouble());
            int v = watching.nextSetBit(firstViewer[r]);
            if (v < 0 || v >= firstViewer[r] + viewersIn[r]) {
                v = firstViewer[r];
                watching.set(v);
                return record(
                        r,
                        new LiveEvent.Enter(id(), room(r), live(r), ts, user(v), "search", null));
            }
            return record(r, new LiveEvent.Like(id(), room(r), live(r), ts, user(v), 1));
        }

        /** Whether the live_starts are all out. */
        public boolean started() {
            return startsSent >= rooms;
        }

        private LiveEvent event(int r, int v, long ts) {
            String room = room(r);
            String live = live(r);
            String user = user(v);
            if (!watching.get(v)) {
                watching.set(v);
                return new LiveEvent.Enter(
                        id(),
                        room,
                        live,
                        ts,
                        user,
                        SOURCES[random.nextInt(SOURCES.length)],
                        "dev-" + v);
            }
            int roll = random.nextInt(100);
            if (roll < 35) {
                return new LiveEvent.Like(id(), room, live, ts, user, 1 + random.nextInt(20));
            }
            if (roll < 60) {
                return new LiveEvent.Comment(
                        id(), room, live, ts, user, COMMENTS[random.nextInt(COMMENTS.length)]);
            }
            if (roll < 72) {
                return new LiveEvent.ProductClick(
                        id(), room, live, ts, user, SKUS[random.nextInt(SKUS.length)]);
            }
            if (roll < 76) {
                return new LiveEvent.Share(id(), room, live, ts, user);
            }
            if (roll < 79) {
                return new LiveEvent.Follow(id(), room, live, ts, user);
            }
            if (roll < 85) {
                return new LiveEvent.Gift(
                        id(),
                        room,
                        live,
                        ts,
                        user,
                        "rose",
                        100L * (1 + random.nextInt(10)),
                        null,
                        false);
            }
            if (roll < 89) {
                String id = id();
                return new LiveEvent.OrderPaid(
                        id,
                        room,
                        live,
                        ts,
                        user,
                        id + "-order",
                        SKUS[random.nextInt(SKUS.length)],
                        1 + random.nextInt(3),
                        9_900L * (1 + random.nextInt(20)));
            }
            if (roll < 90) {
                return new LiveEvent.FanClubJoin(id(), room, live, ts, user);
            }
            watching.clear(v);
            return new LiveEvent.Leave(id(), room, live, ts, user);
        }

        private Record record(int r, LiveEvent e) {
            return new Record(room(r), EventCodec.encode(e), e.ts(), r);
        }

        private String id() {
            return idPrefix + Long.toString(seq++, 36);
        }
    }

    /** The room a viewer belongs to. */
    int roomOf(int viewer) {
        int lo = 0;
        int hi = rooms - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstViewer[mid] <= viewer) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
