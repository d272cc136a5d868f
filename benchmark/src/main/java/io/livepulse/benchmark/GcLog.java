package io.livepulse.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stop-the-world pauses from a JVM's unified GC log ({@code -Xlog:gc:file=...}): G1's lines such as
 * {@code [12.3s] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 310M->95M(1024M) 14.235ms}; ZGC's
 * {@code GC(3) Pause Mark Start 0.012ms} (tag gc+phases) and its stalls, {@code Allocation Stall
 * (thread) 63.8ms} and {@code Relocation Stall}, where one thread waits for the concurrent
 * collector: not the whole JVM, but that thread stops all the same, so they count as pauses. A
 * phase reads the lines written since its start ({@link #lines()} before, {@link #pausesSince}
 * after). The heap a whole-heap collection left is read from the same lines.
 *
 * <p>Shenandoah stops the JVM only briefly; what it does instead, when the job allocates faster
 * than it collects, is pace the allocating threads: each waits up to 10 ms at a time (JDK 17's
 * {@code ShenandoahPacingMaxDelay}), as often as it has to. No pause line shows that; its {@code
 * gc+stats} report after each cycle does ({@code Allocation pacing accrued:}, then {@code 754 of
 * 21774 ms ( 3.5%): <thread>} per thread and a {@code <total>}), and {@link Pacing} reads it.
 */
final class GcLog {
    private static final Pattern PAUSE =
            Pattern.compile(
                    "((?:Pause|Allocation Stall|Relocation Stall) .*?)(?: \\d+[KMG]->\\S+)?"
                            + " (\\d+(?:\\.\\d+)?)ms\\s*$");

    /** The design's bound on a pause at scale (shared/design.md): pauses longer count apart. */
    static final double TARGET_MS = 200;

    /**
     * A whole-heap collection and the heap it left: G1's {@code Pause Full (Diagnostic Command)
     * 3009M->734M(4556M) 2819.946ms}, ZGC's {@code Garbage Collection (System.gc())
     * 2000M(40%)->700M(14%)} (JDK 17) or {@code Major Collection (System.gc()) 206M(20%)->84M(8%)}
     * (generational, JDK 21 on).
     */
    private static final Pattern FULL =
            Pattern.compile(
                    "(?:Pause Full|Garbage Collection|Major Collection) \\(.*?\\)"
                            + " \\d+[KMG](?:\\(\\d+%\\))?->(\\d+)([KMG])");

    /** A line of Shenandoah's pacing report: {@code 754 of 21774 ms ( 3.5%): <thread name>}. */
    private static final Pattern PACED =
            Pattern.compile("\\s(\\d+) of +\\d+ ms \\( *\\d+(?:\\.\\d+)?%\\): (.+)$");

    private static final String PACING_REPORT = "Allocation pacing accrued:";

    /** The wall clock as the line was written, from the {@code timemillis} decoration. */
    private static final Pattern WALL_CLOCK = Pattern.compile("\\[(\\d+)ms\\]");

    private final Path file;

    GcLog(Path file) {
        this.file = file;
    }

    /** Lines written so far (0 if the log does not exist yet). */
    int lines() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    /** The longest pause in ms and the number of pauses, in the lines after {@code fromLine}. */
    Pauses pausesSince(int fromLine) throws IOException {
        return parse(linesSince(fromLine));
    }

    /** The lines after {@code fromLine} (none if the log does not exist yet). */
    private List<String> linesSince(int fromLine) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> all = Files.readAllLines(file);
        return all.subList(Math.min(fromLine, all.size()), all.size());
    }

    /**
     * The stops in the lines after {@code fromLine}, each with the wall-clock moment it ended: the
     * lines need the {@code timemillis} decoration; lines without it give none.
     */
    List<Stop> stopsSince(int fromLine) throws IOException {
        return stops(linesSince(fromLine));
    }

    static List<Stop> stops(List<String> lines) {
        List<Stop> stops = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            Matcher wall = WALL_CLOCK.matcher(line);
            // the decoration comes first: a match past the pause's start is not one
            if (m.find() && wall.find() && wall.end() <= m.start()) {
                stops.add(
                        new Stop(
                                Long.parseLong(wall.group(1)),
                                Double.parseDouble(m.group(2)),
                                m.group(1).trim()));
            }
        }
        return stops;
    }

    /**
     * One stop: the JVM writes its line as it ends, so it ran from {@code endMs - ms} to {@code
     * endMs} on the wall clock.
     */
    record Stop(long endMs, double ms, String kind) {
        long startMs() {
            return endMs - Math.round(ms);
        }
    }

    /**
     * The heap in use right after the last whole-heap collection in the lines after {@code
     * fromLine}, in bytes, or -1 if there is none. Read from the log, not sampled later: a sample
     * taken even seconds after the collection also counts what the running job allocated since.
     */
    long heapAfterLastFullGc(int fromLine) throws IOException {
        return heapAfterLastFullGc(linesSince(fromLine));
    }

    static long heapAfterLastFullGc(List<String> lines) {
        long after = -1;
        for (String line : lines) {
            Matcher m = FULL.matcher(line);
            if (m.find()) {
                long shift =
                        switch (m.group(2)) {
                            case "K" -> 10;
                            case "M" -> 20;
                            default -> 30;
                        };
                after = Long.parseLong(m.group(1)) << shift;
            }
        }
        return after;
    }

    static Pauses parse(List<String> lines) {
        double longest = 0;
        String longestKind = "";
        int count = 0;
        int overTarget = 0;
        Pacing pacing = Pacing.NONE;
        boolean inPacingReport = false;
        for (String line : lines) {
            if (line.endsWith(PACING_REPORT)) {
                inPacingReport = true;
                pacing = pacing.withReport();
                continue;
            }
            if (inPacingReport) {
                Matcher paced = PACED.matcher(line);
                if (paced.find()) {
                    pacing = pacing.with(paced.group(2), Long.parseLong(paced.group(1)));
                    continue;
                }
                inPacingReport = false;
            }
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                count++;
                double ms = Double.parseDouble(m.group(2));
                if (ms > TARGET_MS) {
                    overTarget++;
                }
                if (ms > longest) {
                    longest = ms;
                    longestKind = m.group(1).trim();
                }
            }
        }
        return new Pauses(longest, longestKind, count, overTarget, pacing);
    }

    /**
     * @param longestKind what the longest pause was, as the log names it ({@code Pause Young
     *     (Normal) (G1 Evacuation Pause)}, {@code Pause Remark}, {@code Allocation Stall
     *     (Thread-1)}): a young collection copies what survives, a remark finishes marking the old
     *     generation, so they point to different remedies
     * @param overTarget pauses longer than {@link #TARGET_MS}
     * @param pacing what Shenandoah's pacing held the threads back ({@link Pacing#NONE} with
     *     another collector, or without {@code gc+stats} in the log)
     */
    record Pauses(double longestMs, String longestKind, int count, int overTarget, Pacing pacing) {}

    /**
     * Shenandoah's pacing over a phase, from its reports after each cycle. Each report counts from
     * the one before, over the threads alive when it is written.
     *
     * @param reports the reports read (0: no pacing report in the lines)
     * @param totalMs the time every thread was paced, summed over the reports
     * @param longestMs the most that one thread was paced in one report: not one stop, but the sum
     *     of its waits of up to 10 ms each between two reports
     * @param longestThread that thread
     */
    record Pacing(int reports, long totalMs, long longestMs, String longestThread) {
        static final Pacing NONE = new Pacing(0, 0, 0, "");

        private Pacing withReport() {
            return new Pacing(reports + 1, totalMs, longestMs, longestThread);
        }

        /** One line of a report: a thread's paced time, or the {@code <total>} of them all. */
        private Pacing with(String thread, long ms) {
            if (thread.equals("<total>")) {
                return new Pacing(reports, totalMs + ms, longestMs, longestThread);
            }
            if (thread.startsWith("<") || ms <= longestMs) {
                return this; // <average total>, <average non-zero>, or a shorter wait
            }
            return new Pacing(reports, totalMs, ms, thread);
        }
    }
}
