package io.livepulse.jobs.records;

/**
 * The derived figures of docs/metrics.md, computed from a snapshot's counts. {@code null} where a
 * denominator is zero: never NaN or infinity.
 */
public final class RoomMetrics {
    private RoomMetrics() {}

    public static Double ratio(double numerator, double denominator) {
        return denominator == 0 ? null : numerator / denominator;
    }

    public static Double avgWatchMs(GroupFigures g, long at) {
        return ratio(g.watchMs(at), g.uv);
    }

    public static Double perCapita(GroupFigures g) {
        return ratio(g.interactions(), g.uv);
    }

    public static Double conversion(GroupFigures g) {
        return ratio(g.buyers, g.uv);
    }

    public static Double uvValueCents(GroupFigures g) {
        return ratio(g.gmvCents(), g.uv);
    }

    public static Double gpmCents(GroupFigures g) {
        return ratio(g.gmvCents() * 1000.0, g.pv);
    }

    public static Double aovCents(GroupFigures g) {
        return ratio(g.gmvCents(), g.orders);
    }

    public static Double fanViewingRatio(RoomSnapshot s) {
        return ratio(s.group(Group.FANS).uv, s.group(Group.ALL).uv);
    }

    public static Double watchLift(RoomSnapshot s) {
        return lift(
                avgWatchMs(s.group(Group.FANS), s.ts), avgWatchMs(s.group(Group.NON_FAN), s.ts));
    }

    public static Double interactionLift(RoomSnapshot s) {
        return lift(perCapita(s.group(Group.FANS)), perCapita(s.group(Group.NON_FAN)));
    }

    public static Double fanGmvShare(RoomSnapshot s) {
        return ratio(s.group(Group.FANS).gmvCents(), s.group(Group.ALL).gmvCents());
    }

    public static Double oldFanGmvShare(RoomSnapshot s) {
        return ratio(s.group(Group.OLD_FANS).gmvCents(), s.group(Group.ALL).gmvCents());
    }

    public static Double gmvGoalProgress(RoomSnapshot s) {
        return s.goalGmvCents == null ? null : ratio(s.group(Group.ALL).gmvCents(), s.goalGmvCents);
    }

    public static Double newFansGoalProgress(RoomSnapshot s) {
        return s.goalNewFans == null ? null : ratio(s.group(Group.ALL).follows, s.goalNewFans);
    }

    private static Double lift(Double fans, Double nonFans) {
        return fans == null || nonFans == null || nonFans == 0 ? null : fans / nonFans - 1;
    }
}
