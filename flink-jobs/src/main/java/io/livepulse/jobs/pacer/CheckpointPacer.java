package io.livepulse.jobs.pacer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Triggers a job's checkpoints itself, at a chosen moment after a tick's end, instead of Flink's
 * own schedule. Flink draws the first checkpoint's moment at random and keeps every later one on
 * that grid, so with an interval that is a multiple of the tick the phase between checkpoints and
 * ticks is fixed for the job's life and differs from job to job; a checkpoint that runs through a
 * tick's snapshot slows that tick (docs/benchmarks.md, runs K13 to K17). Pacing them makes the
 * phase a setting: the benchmark's latency runs compare phases with it, and {@link
 * CheckpointPacerCli} runs it beside a deployed job.
 *
 * <p>This thread asks for one through Flink's REST API (POST /jobs/:id/checkpoints) at every {@code
 * afterTickMs} past a multiple of {@code intervalMs}, ticks and interval both aligned to the epoch
 * as the job's ticks are. The job keeps its own checkpoints as a fallback ({@link #jobArgs}).
 */
public final class CheckpointPacer implements AutoCloseable {
    /**
     * The job's own checkpoint interval and least pause under a pacer of {@code intervalMs}: both
     * two of its intervals. Flink declines a periodic checkpoint due within the least pause after
     * the last completed one, paced or not, and moves it to the pause's end; only the periodic ones
     * wait for the pause (CheckpointRequestDecider, Flink 2.2.1). While the pacer's checkpoints
     * complete every interval, Flink's own never come; if the pacer stops, they resume within two
     * intervals of its last one, and every two intervals and a checkpoint's duration after.
     */
    public static List<String> jobArgs(long intervalMs) {
        String twice = 2 * intervalMs + "ms";
        return List.of("--checkpoint.interval", twice, "--checkpoint.min-pause", twice);
    }

    /**
     * Why a pacer of {@code intervalMs} and {@code afterTickMs} could not keep every checkpoint at
     * the same point of a tick of {@code tickMs}, or empty when it can: the interval must be a
     * whole number of ticks and the point within a tick. The one check of both the command's and
     * the benchmark's options.
     */
    public static Optional<String> scheduleProblem(long tickMs, long intervalMs, long afterTickMs) {
        if (tickMs <= 0) {
            return Optional.of("the tick must be positive; got " + tickMs + " ms");
        }
        if (intervalMs < tickMs || intervalMs % tickMs != 0) {
            return Optional.of(
                    "the interval, "
                            + intervalMs
                            + " ms, must be a whole number of ticks ("
                            + tickMs
                            + " ms), so that every checkpoint comes at the same point of a tick");
        }
        if (afterTickMs < 0 || afterTickMs >= tickMs) {
            return Optional.of(
                    "the point after a tick's end, "
                            + afterTickMs
                            + " ms, must be within a tick: 0 to "
                            + (tickMs - 1)
                            + " ms");
        }
        return Optional.empty();
    }

    /** Asks the job for one checkpoint; throws if Flink refused. */
    public interface Trigger {
        void checkpoint() throws Exception;
    }

    private final Thread thread;
    private final AtomicInteger triggered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean running = true;

    private CheckpointPacer(
            long intervalMs, long afterTickMs, Trigger trigger, Consumer<String> log) {
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                long at =
                                        nextAt(System.currentTimeMillis(), intervalMs, afterTickMs);
                                long wait;
                                while (running && (wait = at - System.currentTimeMillis()) > 0) {
                                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
                                }
                                if (!running) {
                                    return;
                                }
                                try {
                                    trigger.checkpoint();
                                    triggered.incrementAndGet();
                                } catch (Exception e) {
                                    // the next one is tried on time: one refusal (the job
                                    // restarting, a checkpoint still running) must not end the run
                                    if (refused.getAndIncrement() == 0) {
                                        log.accept(
                                                "the checkpoint asked for at "
                                                        + Instant.ofEpochMilli(at)
                                                        + " was refused: "
                                                        + e.getMessage()
                                                        + " (further refusals are only counted)");
                                    }
                                }
                            }
                        },
                        "checkpoint-pacer");
        thread.setDaemon(true);
    }

    /**
     * Starts triggering; {@link #close} stops it.
     *
     * @throws IllegalArgumentException if the schedule cannot keep the point ({@link
     *     #scheduleProblem})
     */
    public static CheckpointPacer start(
            long tickMs, long intervalMs, long afterTickMs, Trigger trigger, Consumer<String> log) {
        scheduleProblem(tickMs, intervalMs, afterTickMs)
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException(problem);
                        });
        CheckpointPacer pacer = new CheckpointPacer(intervalMs, afterTickMs, trigger, log);
        pacer.thread.start();
        return pacer;
    }

    /**
     * The first moment after {@code nowMs} that is {@code afterMs} past a multiple of the interval.
     */
    static long nextAt(long nowMs, long intervalMs, long afterMs) {
        return nowMs - Math.floorMod(nowMs - afterMs, intervalMs) + intervalMs;
    }

    /** Checkpoints Flink accepted. */
    public int triggered() {
        return triggered.get();
    }

    /** Checkpoints Flink refused. */
    public int refused() {
        return refused.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join();
    }
}
