package io.livepulse.simulator.io;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Holds each record back until its event time, scaled by {@code speed}, has come: speed 1 is real
 * time, 60 plays a minute per second, 0 sends as fast as possible. Only records the event contract
 * accepts set the pace; the others (malformed ones, and events stamped too far in the future, which
 * the job rejects too) go with the record before them, so one bad timestamp cannot stall the
 * stream.
 */
public final class Pacer implements LongConsumer {
    private final List<byte[]> values;
    private final double speed;
    private final EventCodec codec = new EventCodec();
    private long firstTs = Long.MIN_VALUE;
    private long lastTs;
    private long startedNanos;

    /** {@link #lastTs} for other threads: the feed's present in event time. */
    private volatile long eventTime = Long.MIN_VALUE;

    public Pacer(List<byte[]> values, double speed) {
        if (speed < 0) {
            throw new IllegalArgumentException(
                    "--speed must be 0 (no pacing) or positive, got " + speed);
        }
        this.values = values;
        this.speed = speed;
    }

    @Override
    public void accept(long index) {
        if (speed == 0) {
            return;
        }
        long ts = tsOf(values.get((int) index));
        if (ts == Long.MIN_VALUE) {
            // not paced: it goes with the record before it, or at once before the first (the clock
            // starts at the first paced record: started at 0, it held that one back by its whole
            // timestamp, scaled)
            return;
        }
        if (firstTs == Long.MIN_VALUE) {
            firstTs = ts;
            lastTs = ts;
            startedNanos = System.nanoTime();
        }
        lastTs = Math.max(lastTs, ts);
        long dueNanos = startedNanos + (long) ((lastTs - firstTs) * 1_000_000 / speed);
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing", e);
            }
        }
        eventTime = lastTs;
    }

    /**
     * The latest event time paced so far, that of the record being handed on (the feed's present in
     * event time); {@link Long#MIN_VALUE} before the first paced record, and at speed 0, which
     * paces nothing. Safe to read from another thread.
     */
    public long eventTime() {
        return eventTime;
    }

    private long tsOf(byte[] value) {
        return codec.decode(value) instanceof DecodeResult.Valid valid
                ? valid.event().ts()
                : Long.MIN_VALUE;
    }
}
