package io.livepulse.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run was measured on, as the report states it. */
final class Machine {
    private Machine() {}

    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu", firstValue("/proc/cpuinfo", "model name"));
        String memKb = firstValue("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        m.put(
                "memory",
                memKb.isEmpty()
                        ? "?"
                        : String.format("%.1f GiB", Long.parseLong(memKb) / 1024.0 / 1024.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put(
                "transparent_huge_pages",
                hugePagesMode(read("/sys/kernel/mm/transparent_hugepage/enabled")));
        return m;
    }

    /**
     * The kernel's mode for transparent huge pages, the bracketed word of its setting ("always
     * [madvise] never"): with madvise only a JVM run with -XX:+UseTransparentHugePages gets them.
     */
    static String hugePagesMode(String setting) {
        int open = setting.indexOf('[');
        int close = setting.indexOf(']', open + 1);
        return open < 0 || close < 0 ? "?" : setting.substring(open + 1, close);
    }

    /** The program a process was started as, as it was named on its command line. */
    static String command(long pid) {
        try {
            return new String(cmdline(pid), StandardCharsets.UTF_8).split("\0", 2)[0];
        } catch (IOException e) {
            return "? (/proc/" + pid + "/cmdline: " + e.getMessage() + ")";
        }
    }

    /**
     * The -XX options a process was started with, in their order (a later one of the same flag
     * wins): the TaskManager's, Flink's own, the stack's and the run's alike.
     */
    static List<String> jvmXxOptions(long pid) {
        try {
            return xxOptions(cmdline(pid));
        } catch (IOException e) {
            return List.of("? (/proc/" + pid + "/cmdline: " + e.getMessage() + ")");
        }
    }

    /** A process's command line as Linux gives it: arguments ended by NUL bytes. */
    private static byte[] cmdline(long pid) throws IOException {
        return Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
    }

    /** The -XX options of a command line as Linux gives it: arguments ended by NUL bytes. */
    static List<String> xxOptions(byte[] cmdline) {
        List<String> options = new ArrayList<>();
        for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
            if (arg.startsWith("-XX:")) {
                options.add(arg);
            }
        }
        return options;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return ""; // not Linux, or no such setting: unknown
        }
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return "";
    }
}
