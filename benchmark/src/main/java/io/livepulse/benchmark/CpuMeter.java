package io.livepulse.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (user + system, as Nexmark measures it):
 * snapshots before and after a phase give each process's CPU seconds within it.
 */
final class CpuMeter {
    /** Clock ticks per second of /proc's utime and stime: 100 on every Linux we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids;

    /**
     * @param pids the processes to follow, by name
     */
    CpuMeter(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** CPU seconds used so far, by process name; a process that is gone reads as absent. */
    Map<String, Double> snapshot() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            Double seconds = cpuSeconds(p.getValue());
            if (seconds != null) {
                cpu.put(p.getKey(), seconds);
            }
        }
        return cpu;
    }

    /** CPU seconds per process between two snapshots. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        for (Map.Entry<String, Double> a : after.entrySet()) {
            Double b = before.get(a.getKey());
            if (b != null) {
                used.put(a.getKey(), a.getValue() - b);
            }
        }
        return used;
    }

    /** utime + stime of a process in seconds, or null if it is gone. */
    static Double cpuSeconds(long pid) {
        try {
            return parseTicks(stat(pid)) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return null;
        }
    }

    /** The text of {@code /proc/<pid>/stat}. */
    private static String stat(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * Each process's scheduling priority (its nice value) by name, the processes that are gone left
     * out: what the report says the run's processes competed for the cores with.
     */
    Map<String, Integer> priorities() {
        Map<String, Integer> nice = new LinkedHashMap<>();
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            try {
                nice.put(p.getKey(), parseNice(stat(p.getValue())));
            } catch (IOException e) {
                // gone: nothing to report for it
            }
        }
        return nice;
    }

    /** utime + stime, in clock ticks, from the text of {@code /proc/<pid>/stat}. */
    static long parseTicks(String stat) {
        String[] f = fieldsAfterName(stat);
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The nice value (field 19) from the text of {@code /proc/<pid>/stat}. */
    static int parseNice(String stat) {
        return Integer.parseInt(fieldsAfterName(stat)[16]);
    }

    /** The fields from the third (state) on: the command name (field 2) may hold spaces. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
