package io.livepulse.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process's CPU time went, from a JFR recording's execution samples: the methods that were
 * on the CPU (self time) and the share of samples in which each part of the pipeline was on the
 * stack (parsing, state, serialization, Kafka, Redis, InfluxDB, ...).
 */
final class JfrSummary {
    /** Parts of the pipeline, by the first package or class name that matches (in this order). */
    static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("JSON parse and validate (EventCodec)", List.of("io.livepulse.events."));
        PARTS.put("viewer sessions", List.of("io.livepulse.jobs.viewer."));
        PARTS.put("room aggregates", List.of("io.livepulse.jobs.room."));
        PARTS.put("alert rules", List.of("io.livepulse.jobs.alert."));
        PARTS.put("fan-tier enrichment", List.of("io.livepulse.jobs.enrich."));
        PARTS.put("InfluxDB sink", List.of("io.livepulse.jobs.sink.", "org.influxdb.", "okhttp3."));
        PARTS.put("Redis client (Lettuce, Netty)", List.of("io.lettuce.", "io.netty."));
        PARTS.put("Kafka client", List.of("org.apache.kafka."));
        PARTS.put(
                "Flink record serialization",
                List.of(
                        "org.apache.flink.api.common.typeutils.",
                        "org.apache.flink.api.java.typeutils.runtime.",
                        "org.apache.flink.runtime.io.network.api.serialization.",
                        "com.esotericsoftware.kryo."));
        PARTS.put("Flink keyed state", List.of("org.apache.flink.runtime.state."));
        PARTS.put("Flink checkpointing", List.of("org.apache.flink.runtime.checkpoint."));
    }

    record Summary(long samples, Map<String, Long> topSelf, Map<String, Long> parts) {}

    static Summary read(Path recording, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> parts = new LinkedHashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")
                        || e.getStackTrace() == null
                        || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String type = f.getMethod().getType().getName();
                    for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
                        if (part.getValue().stream().anyMatch(type::startsWith)
                                && seen.add(part.getKey())) {
                            parts.merge(part.getKey(), 1L, Long::sum);
                        }
                    }
                }
            }
        }
        Map<String, Long> topSelf = new LinkedHashMap<>();
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(x -> topSelf.put(x.getKey(), x.getValue()));
        Map<String, Long> sortedParts = new LinkedHashMap<>();
        parts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(x -> sortedParts.put(x.getKey(), x.getValue()));
        return new Summary(samples, topSelf, sortedParts);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
