package io.livepulse.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes that hold the most of a JVM's live heap, from {@code jcmd <pid> GC.class_histogram}:
 * its lines {@code 1: 1000000 48000000 io.livepulse.jobs.viewer.ViewerState}, sorted by bytes. The
 * command collects the whole heap first, so only live objects count: what the state backend keeps
 * per viewer, which the scale phase's pauses have to mark and copy.
 */
final class HeapHistogram {
    private static final Pattern LINE =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

    /** The histogram's last line: {@code Total 59052 2819696} (instances, bytes). */
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private HeapHistogram() {}

    /**
     * @param className as the JVM names it ({@code [B} is a byte array, {@code [J} a long array)
     */
    record Entry(String className, long instances, long bytes) {}

    /** The first {@code top} classes of the histogram, the largest first. */
    static List<Entry> parse(String jcmdOutput, int top) {
        List<Entry> entries = new ArrayList<>();
        for (String line : jcmdOutput.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                entries.add(
                        new Entry(
                                m.group(3),
                                Long.parseLong(m.group(1)),
                                Long.parseLong(m.group(2))));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException(
                    "jcmd GC.class_histogram printed no class line; its output began: "
                            + jcmdOutput.substring(0, Math.min(300, jcmdOutput.length())));
        }
        entries.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return List.copyOf(entries.subList(0, Math.min(top, entries.size())));
    }

    /**
     * The bytes of every live object the histogram counted, or -1 if it has no total line. Read
     * from the objects, not from a collector's log line, it is there with any collector: G1 logs
     * the heap its full collection left, Shenandoah's heap inspection logs nothing.
     */
    static long totalBytes(String jcmdOutput) {
        for (String line : jcmdOutput.split("\n")) {
            Matcher m = TOTAL.matcher(line.trim());
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }
}
