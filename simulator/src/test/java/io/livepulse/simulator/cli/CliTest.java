package io.livepulse.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir Path dir;

    /** Runs the CLI with stdout and stderr captured. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SimulatorCli.execute(args);
            return new Run(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void helpListsTheCommandsAndTheirOptions() {
        Run top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("generate", "load-profiles", "replay");

        Run generate = run("generate", "--help");
        assertThat(generate.code()).isZero();
        assertThat(generate.out())
                .contains("--profile", "--seed", "--malformed", "--kafka-bootstrap", "--redis");
    }

    @Test
    void generateShowsProgressAndWritesTheThreeFilesByteIdenticallyForTheSameSeed()
            throws Exception {
        Run first =
                run(
                        "generate",
                        "--rooms",
                        "3",
                        "--viewers",
                        "900",
                        "--seed",
                        "5",
                        "--out",
                        dir.resolve("a").toString());
        Run second =
                run(
                        "generate",
                        "--rooms",
                        "3",
                        "--viewers",
                        "900",
                        "--seed",
                        "5",
                        "--out",
                        dir.resolve("b").toString());

        assertThat(first.code()).isZero();
        assertThat(second.code()).isZero();
        assertThat(first.err()).contains("rooms generated: 3/3", "summary: fan viewing ratio 50.");
        for (String f : new String[] {"events.jsonl", "profiles.jsonl", "ledger.json"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
        }
    }

    @Test
    void badOptionsFailWithAMessageThatSaysWhatToFix() {
        Run profile = run("generate", "--profile", "mega-sale", "--out", dir.toString());
        assertThat(profile.code()).isEqualTo(1);
        assertThat(profile.err())
                .contains(
                        "unknown profile \"mega-sale\"; expected whitepaper, steady or flash-sale");

        Run rooms = run("generate", "--rooms", "0", "--out", dir.toString());
        assertThat(rooms.code()).isEqualTo(1);
        assertThat(rooms.err()).contains("rooms must be between 1 and 100000, got 0");

        Run start = run("generate", "--start", "yesterday", "--out", dir.toString());
        assertThat(start.code()).isEqualTo(1);
        assertThat(start.err()).contains("--start must be an ISO-8601 instant");

        Run typo = run("generate", "--seeed", "1");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("Unknown options: '--seeed'");

        Run none = run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("a subcommand is required");
    }
}
