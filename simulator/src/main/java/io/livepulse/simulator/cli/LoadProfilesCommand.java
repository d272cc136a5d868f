package io.livepulse.simulator.cli;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.simulator.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "load-profiles",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a profiles.jsonl file (written by generate) into Redis as fan:<room>:<user> hashes.",
            "Every line is checked first: one bad line and nothing is loaded."
        })
final class LoadProfilesCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "the profiles.jsonl file")
    Path file;

    @Option(
            names = "--redis",
            required = true,
            description = "Redis URI, e.g. redis://127.0.0.1:6379")
    String redis;

    @Override
    public Integer call() throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<FanProfile> profiles = new ArrayList<>(lines.size());
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                profiles.add(Json.parseProfileLine(lines.get(i)));
            } catch (IllegalArgumentException e) {
                errors.add(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            errors.stream().limit(20).forEach(System.err::println);
            if (errors.size() > 20) {
                System.err.printf("... and %d more bad lines%n", errors.size() - 20);
            }
            System.err.printf(
                    "error: %d bad line(s) in %s; nothing was loaded. Fix them and run again.%n",
                    errors.size(), file);
            return 1;
        }
        System.err.printf("loading %,d profiles into %s%n", profiles.size(), redis);
        RedisFanStore.write(redis, profiles, n -> System.err.printf("  profiles loaded: %,d%n", n));
        return 0;
    }
}
