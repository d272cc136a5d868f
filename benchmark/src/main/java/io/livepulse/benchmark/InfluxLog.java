package io.livepulse.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage engine's own work from InfluxDB's log (1.x, one logfmt line per event): each
 * operation's end line, such as {@code ts=2026-12-05T14:48:50.910713Z lvl=info msg="Cache snapshot
 * (end)" ... op_name=tsm1_cache_snapshot op_event=end op_elapsed=4647.283ms}, says when it ran. A
 * cache snapshot writes the in-memory cache to a new TSM file; a compaction merges TSM files. Both
 * compete with the job's writes for the disk and the cores, so the latency probe's slow ticks are
 * laid beside them ({@link SlowTicks}).
 */
final class InfluxLog {
    private static final Pattern TIME = Pattern.compile("^ts=(\\S+)");
    private static final Pattern MESSAGE = Pattern.compile("\\bmsg=\"([^\"]*) \\(end\\)\"");
    private static final Pattern END = Pattern.compile("\\bop_event=end\\b");
    private static final Pattern ELAPSED = Pattern.compile("\\bop_elapsed=(\\d+(?:\\.\\d+)?)ms");
    private static final Pattern STRATEGY = Pattern.compile("\\btsm1_strategy=(\\S+)");
    private static final Pattern LEVEL = Pattern.compile("\\btsm1_level=(\\d+)");

    /**
     * One operation of the storage engine.
     *
     * @param kind what it was: {@code cache snapshot}, {@code TSM compaction level 1}, {@code TSM
     *     compaction full}, ...
     */
    record Op(String kind, long startMs, long endMs) {}

    private InfluxLog() {}

    /**
     * The operations in the log's lines that ran at some time between {@code fromMs} and {@code
     * toMs}.
     */
    static List<Op> within(List<String> lines, long fromMs, long toMs) {
        return SlowTicks.overlapping(ops(lines), Op::startMs, Op::endMs, fromMs, toMs);
    }

    static List<Op> ops(List<String> lines) {
        List<Op> ops = new ArrayList<>();
        for (String line : lines) {
            Matcher time = TIME.matcher(line);
            Matcher message = MESSAGE.matcher(line);
            Matcher elapsed = ELAPSED.matcher(line);
            if (!(END.matcher(line).find() && time.find() && message.find() && elapsed.find())) {
                continue;
            }
            long end = Instant.parse(time.group(1)).toEpochMilli();
            long start = end - Math.round(Double.parseDouble(elapsed.group(1)));
            ops.add(new Op(kind(message.group(1), line), start, end));
        }
        return ops;
    }

    /** The message, and for a compaction its strategy (level N, full, ...). */
    private static String kind(String message, String line) {
        Matcher strategy = STRATEGY.matcher(line);
        if (!strategy.find()) {
            return message;
        }
        Matcher level = LEVEL.matcher(line);
        return strategy.group(1).equals("level") && level.find()
                ? message + " level " + level.group(1)
                : message + " " + strategy.group(1);
    }
}
