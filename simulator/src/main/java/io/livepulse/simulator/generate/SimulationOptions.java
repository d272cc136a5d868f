package io.livepulse.simulator.generate;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything that decides a simulation's output. Equal options give byte-identical output.
 *
 * @param seed the random seed
 * @param profile the audience shape
 * @param rooms number of rooms broadcasting at once
 * @param viewers distinct viewers per broadcast round, over all rooms
 * @param broadcasts broadcasts per room, one after another
 * @param hotRoomShare share of viewers in the hottest room (the rest follow Zipf)
 * @param start when the first broadcast starts
 * @param duplicateRate fraction of events delivered twice
 * @param maxDelayMs bound on delivery delay: events arrive out of order by at most this much
 * @param malformed number of malformed records mixed into the delivery
 * @param late number of extra events delivered {@link DeliveryFaults#LATE_BY} after their event
 *     time: far beyond any allowed lateness, so the job must set them aside as late, and the ledger
 *     leaves them out of every figure
 * @param lostLiveEnds broadcasts whose {@code live_end} the feed loses (those ending first): they
 *     end {@code liveIdleEnd} after their last event
 * @param anomalies how many anomalies of each kind to inject, labelled in the ledger ({@link
 *     AnomalyInjector})
 * @param idleTimeout a session without events for this long is closed (the ledger's definition)
 * @param liveIdleEnd a broadcast without events for this long is over (the ledger's definition)
 * @param oldFanCutoff fans who followed this long before the broadcast are old fans
 */
public record SimulationOptions(
        long seed,
        Profile profile,
        int rooms,
        int viewers,
        int broadcasts,
        double hotRoomShare,
        Instant start,
        double duplicateRate,
        long maxDelayMs,
        int malformed,
        int late,
        int lostLiveEnds,
        int anomalies,
        Duration idleTimeout,
        Duration liveIdleEnd,
        Duration oldFanCutoff) {

    public static final Instant DEFAULT_START = Instant.parse("2026-03-01T12:00:00Z");
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_LIVE_IDLE_END = Duration.ofMinutes(30);
    public static final Duration DEFAULT_OLD_FAN_CUTOFF = Duration.ofDays(30);

    public SimulationOptions {
        require(profile != null, "profile is required");
        require(rooms >= 1 && rooms <= 100_000, "rooms must be between 1 and 100000, got " + rooms);
        require(
                viewers >= rooms,
                "viewers must be at least the number of rooms (" + rooms + "), got " + viewers);
        require(
                broadcasts >= 1 && broadcasts <= 100,
                "broadcasts must be between 1 and 100, got " + broadcasts);
        require(
                hotRoomShare > 0 && hotRoomShare < 1,
                "hot-room-share must be between 0 and 1 (exclusive), got " + hotRoomShare);
        require(start != null, "start is required");
        require(
                duplicateRate >= 0 && duplicateRate <= 0.5,
                "duplicate-rate must be between 0 and 0.5, got " + duplicateRate);
        require(
                maxDelayMs >= 0 && maxDelayMs <= 600_000,
                "max-delay-ms must be between 0 and 600000, got " + maxDelayMs);
        require(malformed >= 0, "malformed must not be negative, got " + malformed);
        require(
                anomalies >= 0 && anomalies <= 1_000,
                "anomalies must be between 0 and 1000, got " + anomalies);
        require(late >= 0, "late must not be negative, got " + late);
        require(
                lostLiveEnds >= 0 && lostLiveEnds <= rooms * broadcasts,
                "lost-live-ends must be between 0 and the number of broadcasts ("
                        + rooms * broadcasts
                        + "), got "
                        + lostLiveEnds);
        require(
                liveIdleEnd != null && liveIdleEnd.toMinutes() >= 1,
                "live-idle-end must be at least 1 min, got " + liveIdleEnd);
        require(
                idleTimeout != null && idleTimeout.toSeconds() >= 10,
                "idle-timeout must be at least 10 s, got " + idleTimeout);
        require(
                oldFanCutoff != null && !oldFanCutoff.isNegative(),
                "old-fan cut-off must not be negative");
    }

    /** Defaults for a profile: 10 rooms, 20,000 viewers, one broadcast each, no faults. */
    public static SimulationOptions defaults(Profile profile, long seed) {
        return new SimulationOptions(
                seed,
                profile,
                10,
                20_000,
                1,
                0.35,
                DEFAULT_START,
                0,
                0,
                0,
                0,
                0,
                0,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_LIVE_IDLE_END,
                DEFAULT_OLD_FAN_CUTOFF);
    }

    public SimulationOptions withScale(int rooms, int viewers, int broadcasts) {
        return new SimulationOptions(
                seed,
                profile,
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                start,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                idleTimeout,
                liveIdleEnd,
                oldFanCutoff);
    }

    public SimulationOptions withFaults(double duplicateRate, long maxDelayMs, int malformed) {
        return new SimulationOptions(
                seed,
                profile,
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                start,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                idleTimeout,
                liveIdleEnd,
                oldFanCutoff);
    }

    public SimulationOptions withLate(int late) {
        return new SimulationOptions(
                seed,
                profile,
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                start,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                idleTimeout,
                liveIdleEnd,
                oldFanCutoff);
    }

    public SimulationOptions withLostLiveEnds(int lostLiveEnds) {
        return new SimulationOptions(
                seed,
                profile,
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                start,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                idleTimeout,
                liveIdleEnd,
                oldFanCutoff);
    }

    public SimulationOptions withAnomalies(int anomalies) {
        return new SimulationOptions(
                seed,
                profile,
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                start,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                idleTimeout,
                liveIdleEnd,
                oldFanCutoff);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
