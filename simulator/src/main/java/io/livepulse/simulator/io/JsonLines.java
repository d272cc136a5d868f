package io.livepulse.simulator.io;

import io.livepulse.simulator.generate.Delivery;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JSON Lines files of raw records: one record per line, as delivered (malformed records included,
 * byte for byte; binary ones contain no line break).
 */
public final class JsonLines {
    private JsonLines() {}

    public static void write(Path file, List<Delivery> deliveries) throws IOException {
        createParent(file);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (Delivery d : deliveries) {
                out.write(d.value());
                out.write('\n');
            }
        }
    }

    public static void writeLines(Path file, List<String> lines) throws IOException {
        createParent(file);
        Files.write(file, lines);
    }

    /** Reads the raw records of a file, one per line; a final line break is optional. */
    public static List<byte[]> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> records = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                records.add(Arrays.copyOfRange(all, from, i));
                from = i + 1;
            }
        }
        if (from < all.length) {
            records.add(Arrays.copyOfRange(all, from, all.length));
        }
        return records;
    }

    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
