package io.livepulse.simulator.cli;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.Json;
import io.livepulse.simulator.io.JsonLines;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.io.Pacer;
import io.livepulse.simulator.ledger.Ledger;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates broadcasts of live rooms: events (JSON Lines and/or a Kafka topic), fan"
                    + " profiles (a file and/or Redis) and the ledger of expected results.",
            "The same options and seed give byte-identical files."
        })
final class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--profile",
            defaultValue = "whitepaper",
            description = "whitepaper, steady or flash-sale (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--rooms",
            defaultValue = "10",
            description = "rooms broadcasting at once (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(
            names = "--viewers",
            defaultValue = "20000",
            description =
                    "distinct viewers per broadcast round, all rooms together (default: ${DEFAULT-VALUE})")
    int viewers;

    @Option(
            names = "--broadcasts",
            defaultValue = "1",
            description = "broadcasts per room, one after another (default: ${DEFAULT-VALUE})")
    int broadcasts;

    @Option(
            names = "--hot-room-share",
            defaultValue = "0.35",
            description =
                    "share of viewers in the hottest room; the rest follow Zipf (default: ${DEFAULT-VALUE})")
    double hotRoomShare;

    @Option(
            names = "--start",
            defaultValue = "2026-03-01T12:00:00Z",
            description =
                    "first broadcast's start, ISO-8601 instant or 'now' (default: ${DEFAULT-VALUE}; 'now' is not reproducible)")
    String start;

    @Option(
            names = "--duplicate-rate",
            defaultValue = "0",
            description = "fraction of events delivered twice (default: ${DEFAULT-VALUE})")
    double duplicateRate;

    @Option(
            names = "--max-delay-ms",
            defaultValue = "0",
            description =
                    "bounded out-of-order delivery: each event is late by up to this (default: ${DEFAULT-VALUE})")
    long maxDelayMs;

    @Option(
            names = "--malformed",
            defaultValue = "0",
            description = "malformed records to mix in (default: ${DEFAULT-VALUE})")
    int malformed;

    @Option(
            names = "--late",
            defaultValue = "0",
            description =
                    "extra events delivered 10 min after their event time, beyond any allowed lateness; the ledger leaves them out (default: ${DEFAULT-VALUE})")
    int late;

    @Option(
            names = "--lost-live-ends",
            defaultValue = "0",
            description =
                    "broadcasts whose live_end the feed loses, those ending first; they end --live-idle-end-min after their last event (default: ${DEFAULT-VALUE})")
    int lostLiveEnds;

    @Option(
            names = "--anomalies",
            defaultValue = "0",
            description =
                    "anomalies of each kind to inject (viewer_cliff, gmv_stall, refund_spike, bot_traffic, comment_flood, silent_room), labelled in the ledger for the alert rules (default: ${DEFAULT-VALUE})")
    int anomalies;

    @Option(
            names = "--idle-timeout-s",
            defaultValue = "600",
            description =
                    "session idle timeout the ledger applies; the job must use the same (default: ${DEFAULT-VALUE})")
    long idleTimeoutSeconds;

    @Option(
            names = "--live-idle-end-min",
            defaultValue = "30",
            description =
                    "a broadcast without events this long is over; the job must use the same (default: ${DEFAULT-VALUE})")
    long liveIdleEndMinutes;

    @Option(
            names = "--old-fan-cutoff-days",
            defaultValue = "30",
            description =
                    "fans who followed this many days before a broadcast are old fans (default: ${DEFAULT-VALUE})")
    long oldFanCutoffDays;

    @Option(
            names = "--out",
            defaultValue = "simulation",
            description =
                    "directory for events.jsonl, profiles.jsonl and ledger.json (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--kafka-bootstrap",
            description = "also send the events to this Kafka cluster (host:port)")
    String kafkaBootstrap;

    @Option(
            names = "--topic",
            defaultValue = "live-events",
            description = "Kafka topic for --kafka-bootstrap (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(
            names = "--redis",
            description = "also load the fan profiles into this Redis, e.g. redis://127.0.0.1:6379")
    String redis;

    @Option(
            names = "--speed",
            defaultValue = "0",
            description =
                    "Kafka pacing: 0 as fast as possible, 1 real time, 60 a minute per second (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintStream log = quiet ? new PrintStream(PrintStream.nullOutputStream()) : System.err;
        SimulationOptions options = options();
        long t0 = System.nanoTime();
        log.printf(
                "generating profile %s, seed %d: %d rooms, %,d viewers, %d broadcast(s) per room%n",
                options.profile().cliName(), seed, rooms, viewers, broadcasts);
        Simulation sim =
                Simulation.run(
                        options, done -> log.printf("  rooms generated: %d/%d%n", done, rooms));
        Ledger.DeliveryStats stats = sim.ledger().delivery();
        log.printf(
                "generated %,d events, %,d records to deliver (%,d duplicates, %,d malformed, %,d late), %,d fan profiles in %.1f s%n",
                stats.events(),
                stats.records(),
                stats.duplicates(),
                stats.malformed(),
                stats.late(),
                sim.profiles().size(),
                (System.nanoTime() - t0) / 1e9);

        Files.createDirectories(out);
        JsonLines.write(out.resolve("events.jsonl"), sim.deliveries());
        List<String> profileLines = new ArrayList<>(sim.profiles().size());
        for (FanProfile p : sim.profiles()) {
            profileLines.add(Json.profileLine(p));
        }
        JsonLines.writeLines(out.resolve("profiles.jsonl"), profileLines);
        Json.LEDGER.writeValue(out.resolve("ledger.json").toFile(), sim.ledger());
        log.printf("wrote %s/events.jsonl, profiles.jsonl and ledger.json%n", out);

        if (redis != null) {
            log.printf("loading %,d profiles into %s%n", sim.profiles().size(), redis);
            RedisFanStore.write(
                    redis, sim.profiles(), n -> log.printf("  profiles loaded: %,d%n", n));
        }
        if (kafkaBootstrap != null) {
            List<byte[]> values = sim.deliveries().stream().map(Delivery::value).toList();
            log.printf(
                    "sending %,d records to %s topic %s%n", values.size(), kafkaBootstrap, topic);
            try (KafkaOutput kafka = new KafkaOutput(kafkaBootstrap, topic)) {
                kafka.send(
                        sim.deliveries(),
                        new Pacer(values, speed),
                        new ProgressLine(log, "records sent"));
            }
        }
        Ledger.Summary s = sim.ledger().summary();
        log.printf(
                "summary: fan viewing ratio %s, watch lift %s, interaction lift %s, fan GMV share %s, old-fan GMV share %s; hot room %s carries %.1f%% of events%n",
                format("%.1f%%", s.ratios().fanViewingRatio()),
                format("%+.1f%%", s.ratios().watchLift()),
                format("%+.1f%%", s.ratios().interactionLift()),
                format("%.1f%%", s.ratios().fanGmvShare()),
                format("%.1f%%", s.ratios().oldFanGmvShare()),
                s.hotRoom(),
                s.hotRoomEventShare() * 100);
        return 0;
    }

    private SimulationOptions options() {
        Instant startAt;
        try {
            startAt =
                    start.equals("now")
                            ? Instant.ofEpochSecond(Instant.now().getEpochSecond())
                            : Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--start must be an ISO-8601 instant such as 2026-03-01T12:00:00Z, or 'now'; got \""
                            + start
                            + "\"");
        }
        return new SimulationOptions(
                seed,
                Profile.fromCliName(profile),
                rooms,
                viewers,
                broadcasts,
                hotRoomShare,
                startAt,
                duplicateRate,
                maxDelayMs,
                malformed,
                late,
                lostLiveEnds,
                anomalies,
                Duration.ofSeconds(idleTimeoutSeconds),
                Duration.ofMinutes(liveIdleEndMinutes),
                Duration.ofDays(oldFanCutoffDays));
    }

    /** A ratio as a percentage, or n/a when it is undefined. */
    private static String format(String pattern, Double ratio) {
        return ratio == null ? "n/a" : String.format(pattern, ratio * 100);
    }
}
