package io.livepulse.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        return m;
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
