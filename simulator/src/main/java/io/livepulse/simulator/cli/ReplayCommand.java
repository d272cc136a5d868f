package io.livepulse.simulator.cli;

import io.livepulse.simulator.generate.RecordKeys;
import io.livepulse.simulator.io.JsonLines;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.io.Pacer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a JSON Lines file of records (events.jsonl) to a Kafka topic, byte for byte, in"
                    + " file order, keyed by room as generate does."
        })
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "the events.jsonl file")
    Path file;

    @Option(
            names = "--kafka-bootstrap",
            required = true,
            description = "Kafka bootstrap servers, host:port")
    String kafkaBootstrap;

    @Option(
            names = "--topic",
            defaultValue = "live-events",
            description = "topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(
            names = "--speed",
            defaultValue = "0",
            description =
                    "0 as fast as possible, 1 real time, 60 a minute per second (default: ${DEFAULT-VALUE})")
    double speed;

    @Override
    public Integer call() throws Exception {
        List<byte[]> values = JsonLines.read(file);
        List<String> keys = new ArrayList<>(values.size());
        for (byte[] v : values) {
            keys.add(RecordKeys.keyOf(v));
        }
        System.err.printf(
                "replaying %,d records from %s to %s topic %s%n",
                values.size(), file, kafkaBootstrap, topic);
        try (KafkaOutput kafka = new KafkaOutput(kafkaBootstrap, topic)) {
            kafka.send(
                    keys,
                    values,
                    new Pacer(values, speed),
                    new ProgressLine(System.err, "records sent"));
        }
        return 0;
    }
}
