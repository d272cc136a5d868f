package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a tiering run found, per room: tiers, the intimacy distribution, and what changed. */
public record TieringReport(Map<String, Room> rooms) {

    public record Room(
            int fans,
            Map<Tier, Integer> tiers,
            double p10,
            double p50,
            double p90,
            double max,
            int newFans,
            int upgraded,
            int downgraded,
            int unchanged) {}

    /** Compares this run's profiles with those Redis held before it (keyed by Redis key). */
    public static TieringReport of(Collection<FanProfile> now, Map<String, FanProfile> before) {
        Map<String, List<FanProfile>> byRoom = new TreeMap<>();
        for (FanProfile p : now) {
            byRoom.computeIfAbsent(p.room(), r -> new ArrayList<>()).add(p);
        }
        Map<String, Room> rooms = new TreeMap<>();
        for (Map.Entry<String, List<FanProfile>> e : byRoom.entrySet()) {
            Map<Tier, Integer> tiers = new TreeMap<>();
            for (Tier t : new Tier[] {Tier.TRUE_LOVE, Tier.AFFINITY, Tier.PASSERBY}) {
                tiers.put(t, 0);
            }
            List<Double> scores = new ArrayList<>();
            int created = 0, up = 0, down = 0, same = 0;
            for (FanProfile p : e.getValue()) {
                tiers.merge(p.tier(), 1, Integer::sum);
                scores.add(p.intimacy());
                FanProfile old = before.get(p.redisKey());
                if (old == null) {
                    created++;
                } else if (p.tier().ordinal() < old.tier().ordinal()) {
                    up++; // tiers are ordered true_love, affinity, passerby
                } else if (p.tier().ordinal() > old.tier().ordinal()) {
                    down++;
                } else {
                    same++;
                }
            }
            scores.sort(null);
            rooms.put(
                    e.getKey(),
                    new Room(
                            scores.size(),
                            tiers,
                            quantile(scores, 0.1),
                            quantile(scores, 0.5),
                            quantile(scores, 0.9),
                            scores.get(scores.size() - 1),
                            created,
                            up,
                            down,
                            same));
        }
        return new TieringReport(rooms);
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "%-12s %7s %9s %8s %8s %7s %7s %7s %7s %6s %6s %6s %6s%n",
                        "room",
                        "fans",
                        "true_love",
                        "affinity",
                        "passerby",
                        "p10",
                        "p50",
                        "p90",
                        "max",
                        "new",
                        "up",
                        "down",
                        "same"));
        rooms.forEach(
                (room, r) ->
                        b.append(
                                String.format(
                                        "%-12s %7d %9d %8d %8d %7.1f %7.1f %7.1f %7.1f %6d %6d %6d %6d%n",
                                        room,
                                        r.fans(),
                                        r.tiers().get(Tier.TRUE_LOVE),
                                        r.tiers().get(Tier.AFFINITY),
                                        r.tiers().get(Tier.PASSERBY),
                                        r.p10(),
                                        r.p50(),
                                        r.p90(),
                                        r.max(),
                                        r.newFans(),
                                        r.upgraded(),
                                        r.downgraded(),
                                        r.unchanged())));
        return b.toString();
    }
}
