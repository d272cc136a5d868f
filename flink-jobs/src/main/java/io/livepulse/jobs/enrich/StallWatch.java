package io.livepulse.jobs.enrich;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when this JVM itself stopped running for a while: a long GC pause, a {@code SIGSTOP},
 * cores too busy to schedule it. A thread wakes every {@link #BEAT_MS} and calls a gap of more than
 * {@link #STALL_MS} between two wake-ups a stall.
 *
 * <p>Each stall is logged as a warning with its length: it also delays every figure on the boards.
 *
 * <p>Why: a Redis command that times out while the TaskManager was stalled says nothing about
 * Redis. Every command in flight times out at once when the process wakes, while their answers wait
 * in the socket; counting those against the lookup's retries freezes viewers as {@code unknown} for
 * their whole broadcast with Redis up (docs/reliability.md).
 */
final class StallWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

    static final long BEAT_MS = 20;
    static final long STALL_MS = 250;
    private static final long STALL_NANOS = STALL_MS * 1_000_000;

    /** One watch per TaskManager (per job's class loader), shared by the tasks that look up. */
    private static StallWatch shared;

    private static int users;

    private final LongSupplier clock;
    private final Thread beat;
    private volatile long lastBeat;
    private volatile long lastStallEnd;

    /** The TaskManager's watch, started by its first user; give it back with {@link #release()}. */
    static synchronized StallWatch acquire() {
        if (users++ == 0) {
            shared = new StallWatch("livepulse-stall-watch");
        }
        return shared;
    }

    /** Gives back the watch from {@link #acquire()}; the last user stops its thread. */
    static synchronized void release() {
        if (users > 0 && --users == 0) {
            shared.close();
            shared = null;
        }
    }

    /** Starts the beat thread, named {@code name}. */
    StallWatch(String name) {
        this(System::nanoTime);
        beat.setName(name);
        beat.start();
    }

    /** A watch whose beats are given by hand with {@link #beat()}, for tests. */
    StallWatch(LongSupplier clock) {
        this.clock = clock;
        this.lastBeat = clock.getAsLong();
        this.lastStallEnd = lastBeat - Long.MAX_VALUE / 2;
        this.beat = new Thread(this::beatUntilClosed);
        beat.setDaemon(true);
    }

    private void beatUntilClosed() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(BEAT_MS);
            } catch (InterruptedException e) {
                return;
            }
            beat();
        }
    }

    /** One beat: a gap since the last one longer than {@link #STALL_MS} was a stall. */
    void beat() {
        long now = clock.getAsLong();
        long gap = now - lastBeat;
        if (gap > STALL_NANOS) {
            lastStallEnd = now;
            LOG.warn(
                    "This TaskManager did not run for {} ms (GC pause, SIGSTOP or busy cores):"
                            + " Redis timeouts in that time are retried, not counted",
                    gap / 1_000_000);
        }
        lastBeat = now;
    }

    /** The watch's clock, to read when a command is sent. */
    long now() {
        return clock.getAsLong();
    }

    /**
     * Whether this JVM stalled at some point after {@code since} (a reading of {@link #now()}), or
     * is stalled now: the beat is overdue, as when the process has just woken and the beat thread
     * has not run yet.
     */
    boolean stalledSince(long since) {
        return lastStallEnd - since > 0 || clock.getAsLong() - lastBeat > STALL_NANOS;
    }

    @Override
    public void close() {
        beat.interrupt();
    }
}
