package io.livepulse.jobs.pacer;

import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code checkpoint-pacer}: asks the live metrics job for its checkpoints at a fixed point after a
 * tick's end, as a process beside the JobManager (scripts/stack.sh pace, docker-compose's {@code
 * checkpoint-pacer}). A checkpoint that runs through a tick's snapshot delays that tick on the
 * boards; on Flink's own schedule where it falls is drawn at random at each start
 * (docs/live-metrics-job.md, "Checkpoints at a tick's phase").
 *
 * <p>The job keeps its own checkpoints as the fallback, submitted with {@code
 * --checkpoint.interval} and {@code --checkpoint.min-pause} both twice the pacer's interval ({@link
 * CheckpointPacer#jobArgs}): while this process runs, Flink's own never come; when it stops, they
 * resume. It runs until it is stopped (SIGTERM, Ctrl-C), and finds the job again by name when it is
 * resubmitted.
 */
@Command(
        name = "checkpoint-pacer",
        mixinStandardHelpOptions = true,
        description =
                "Asks the live metrics job for a checkpoint every --interval-ms, --after-tick-ms after a tick's end, through Flink's REST API; runs until stopped.")
public final class CheckpointPacerCli implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--rest",
            defaultValue = "http://127.0.0.1:8081",
            description = "The JobManager's REST address (default: ${DEFAULT-VALUE}).")
    URI rest;

    @Option(
            names = "--job-name",
            defaultValue = "LivePulse live metrics",
            description =
                    "Pace the newest RUNNING job of this name, found again when it is resubmitted (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Option(names = "--job-id", description = "Pace this job only, instead of finding it by name.")
    String jobId;

    @Option(
            names = "--tick-ms",
            defaultValue = "5000",
            description = "The job's --tick, in ms (default: ${DEFAULT-VALUE}).")
    long tickMs;

    @Option(
            names = "--interval-ms",
            defaultValue = "10000",
            description =
                    "A checkpoint every this many ms, a whole number of ticks; submit the job with twice it as --checkpoint.interval and --checkpoint.min-pause (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(
            names = "--after-tick-ms",
            defaultValue = "1000",
            description =
                    "This long after a tick's end, once the tick is written (default: ${DEFAULT-VALUE}).")
    long afterTickMs;

    @Option(
            names = "--status-every-s",
            defaultValue = "60",
            description = "A status line every this many seconds (default: ${DEFAULT-VALUE}).")
    long statusEverySeconds;

    private final PrintStream out;

    CheckpointPacerCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckpointPacerCli(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CheckpointPacer.scheduleProblem(tickMs, intervalMs, afterTickMs)
                .ifPresent(
                        problem -> {
                            throw new CommandLine.ParameterException(
                                    spec.commandLine(),
                                    "--tick-ms, --interval-ms, --after-tick-ms: " + problem);
                        });
        JobCheckpoints job = new JobCheckpoints(new FlinkRest(rest), jobName, jobId, this::say);
        say(
                String.format(
                        "pacing %s at %s: a checkpoint every %d ms, %d ms after a tick's end; the job's own fallback: %s",
                        jobId != null ? "job " + jobId : "the job named \"" + jobName + "\"",
                        rest,
                        intervalMs,
                        afterTickMs,
                        String.join(" ", CheckpointPacer.jobArgs(intervalMs))));
        CountDownLatch stopped = new CountDownLatch(1);
        try (CheckpointPacer pacer =
                CheckpointPacer.start(
                        tickMs, intervalMs, afterTickMs, job::checkpoint, this::say)) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        say(
                                                String.format(
                                                        "stopping: %d checkpoints asked for, %d refused",
                                                        pacer.triggered(), pacer.refused()));
                                        stopped.countDown();
                                    }));
            while (!stopped.await(statusEverySeconds, TimeUnit.SECONDS)) {
                say(
                        String.format(
                                "%d checkpoints asked for, %d refused%s",
                                pacer.triggered(),
                                pacer.refused(),
                                job.lastRefusal() == null
                                        ? ""
                                        : "; the last refusal: " + job.lastRefusal()));
            }
        }
        return 0;
    }

    private void say(String line) {
        out.println(Instant.now() + " checkpoint-pacer: " + line);
    }

    /** Asks the job for one checkpoint, finding it by name when its id is not given or gone. */
    static final class JobCheckpoints {
        private final FlinkRest rest;
        private final String name;
        private final String fixedId;
        private final Consumer<String> log;
        private volatile String id;
        private String found;
        private volatile String lastRefusal;

        JobCheckpoints(FlinkRest rest, String name, String fixedId, Consumer<String> log) {
            this.rest = rest;
            this.name = name;
            this.fixedId = fixedId;
            this.log = log;
            this.id = fixedId;
        }

        void checkpoint() throws Exception {
            String job = id;
            try {
                if (job == null) {
                    job =
                            rest.runningJob(name)
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            "no RUNNING job named \""
                                                                    + name
                                                                    + "\" yet"));
                    if (!job.equals(found)) {
                        log.accept("found job " + job);
                        found = job;
                    }
                    id = job;
                }
                rest.triggerCheckpoint(job);
            } catch (Exception e) {
                lastRefusal = Instant.now() + " " + e.getMessage();
                if (fixedId == null) {
                    id = null; // restarted, cancelled or resubmitted: look it up again next time
                }
                throw e;
            }
        }

        String lastRefusal() {
            return lastRefusal;
        }
    }
}
