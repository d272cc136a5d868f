package io.livepulse.jobs.enrich;

import io.livepulse.fans.FanProfile;
import io.livepulse.simulator.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Fan profiles from a JSON Lines file (the simulator's {@code profiles.jsonl}), read by each task
 * when it opens and answered from memory: {@code --fans.file}, the benchmark's "job without Redis"
 * and runs that have no Redis. Only the path travels with the job, so the file must be readable on
 * every TaskManager; a malformed line fails the task with the file and line named.
 */
public final class FileFanDirectory implements FanDirectory {
    private static final long serialVersionUID = 1L;

    private final String path;

    public FileFanDirectory(String path) {
        this.path = path;
    }

    @Override
    public Lookup open() {
        return StaticFanDirectory.inMemory(read(Path.of(path)));
    }

    /** The file's profiles by Redis key. */
    static Map<String, FanProfile> read(Path file) {
        Map<String, FanProfile> profiles = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    FanProfile p = Json.parseProfileLine(line);
                    profiles.put(p.redisKey(), p);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "fans.file " + file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "fans.file " + file + " cannot be read (it must exist on every TaskManager)",
                    e);
        }
        return profiles;
    }
}
