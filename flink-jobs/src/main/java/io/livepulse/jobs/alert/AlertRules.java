package io.livepulse.jobs.alert;

import static io.livepulse.jobs.LiveMetricsOptions.*;

import io.livepulse.jobs.LiveMetricsOptions;
import java.io.Serializable;

/** The rules' thresholds, in milliseconds where they are times (options in docs/alerts.md). */
public record AlertRules(
        long tickMs,
        long resolveAfterMs,
        long coolDownMs,
        long warmUpMs,
        long baselineHalfLifeMs,
        long cliffWindowMs,
        double cliffDrop,
        long cliffMinDrop,
        long stallWindowMs,
        double stallMinExpected,
        long stallMinOnline,
        long refundWindowMs,
        double refundFactor,
        long refundMin,
        long botsWindowMs,
        long botsMin,
        double botsShare,
        double botsFactor,
        long floodWindowMs,
        long floodMin,
        double floodShare,
        long sharedDeviceWindowMs,
        long sharedDeviceMinAccounts,
        long silentWindowMs,
        double silentMinExpected,
        double fallbackShare,
        long fallbackMin,
        long deadLettersPerMinute)
        implements Serializable {

    /** The window of the Redis fallback rule: the last minute's new viewers. */
    public static final long FALLBACK_WINDOW_MS = 60_000;

    public static AlertRules from(LiveMetricsOptions o) {
        return new AlertRules(
                o.get(TICK).toMillis(),
                o.get(ALERTS_RESOLVE_AFTER).toMillis(),
                o.get(ALERTS_COOL_DOWN).toMillis(),
                o.get(ALERTS_WARM_UP).toMillis(),
                o.get(ALERTS_BASELINE_HALF_LIFE).toMillis(),
                o.get(CLIFF_WINDOW).toMillis(),
                o.get(CLIFF_DROP),
                o.get(CLIFF_MIN_DROP),
                o.get(STALL_WINDOW).toMillis(),
                o.get(STALL_MIN_EXPECTED),
                o.get(STALL_MIN_ONLINE),
                o.get(REFUND_WINDOW).toMillis(),
                o.get(REFUND_FACTOR),
                o.get(REFUND_MIN),
                o.get(BOTS_WINDOW).toMillis(),
                o.get(BOTS_MIN),
                o.get(BOTS_SHARE),
                o.get(BOTS_FACTOR),
                o.get(FLOOD_WINDOW).toMillis(),
                o.get(FLOOD_MIN),
                o.get(FLOOD_SHARE),
                o.get(SHARED_DEVICE_WINDOW).toMillis(),
                o.get(SHARED_DEVICE_MIN),
                o.get(SILENT_WINDOW).toMillis(),
                o.get(SILENT_MIN_EXPECTED),
                o.get(FALLBACK_SHARE),
                o.get(FALLBACK_MIN),
                o.get(DEAD_LETTERS_PER_MINUTE));
    }

    /** The longest window any tick-based rule looks back over. */
    public long longestWindowMs() {
        return Math.max(
                Math.max(cliffWindowMs, stallWindowMs),
                Math.max(
                        Math.max(refundWindowMs, botsWindowMs),
                        Math.max(silentWindowMs, FALLBACK_WINDOW_MS)));
    }

    /** Weight of the newest tick in a moving average with the configured half-life. */
    public double baselineAlpha() {
        return 1 - Math.pow(0.5, (double) tickMs / baselineHalfLifeMs);
    }
}
