package io.livepulse.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.events.LiveEvent.Comment;
import io.livepulse.events.LiveEvent.LiveStart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader of the everyday record must read what it takes exactly as Jackson's tree reader does,
 * and leave the rest to it: {@link EventCodec#decode} and {@link EventCodec#decodeTree} must agree
 * on every record, valid or broken.
 */
class FlatObjectReaderTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final long T0 = NOW.minusSeconds(3600).toEpochMilli();
    private static final byte[][] NAMES = {ascii("a"), ascii("text"), ascii("n"), ascii("flag")};

    private final EventCodec codec =
            new EventCodec(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

    @Test
    void takesEveryEventTheCodecWritesButAGoal() {
        for (LiveEvent event : EventCodecTest.oneOfEachType()) {
            boolean hasGoal = event instanceof LiveStart start && start.goal() != null;
            assertThat(read(EventCodec.encode(event)))
                    .as("%s", event)
                    .isEqualTo(!hasGoal); // the goal is an object: the tree reader's
        }
    }

    @Test
    void readsStringsIntegersBooleansAndNull() {
        Object[] values = new Object[NAMES.length];
        String json = " {\"a\" : \"x y\",\"n\":-42,\t\"flag\":true,\"text\":null,\"other\":7}\n";

        assertThat(FlatObjectReader.read(ascii(json), NAMES, values)).isTrue();
        assertThat(values).containsExactly("x y", null, -42L, Boolean.TRUE);
    }

    @Test
    void readsEscapesAndUtf8AsJacksonDoes() {
        String text =
                "line\\nbreak \\\"q\\\" \\\\ \\/ \\t \\u00e9\\u4e2d \u597d\u559d \ud83d\ude00";
        Object[] values = new Object[NAMES.length];

        byte[] raw = ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(FlatObjectReader.read(raw, NAMES, values)).isTrue();
        assertThat(values[1]).isEqualTo("line\nbreak \"q\" \\ / \t \u00e9\u4e2d 好喝 \ud83d\ude00");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "{\"a\":1.5}",
                "{\"a\":1e3}",
                "{\"a\":01}",
                "{\"a\":-}",
                "{\"a\":1234567890123456789}",
                "{\"a\":{}}",
                "{\"a\":[]}",
                "{\"a\":1,}",
                "{\"a\":1,\"a\":2}",
                "{\"b\":1,\"b\":2}",
                "{\"a\":tru}",
                "{\"a\":truex}",
                "{\"a\\u0062\":1}",
                "{\"a\":\"\\ud83d\\ude00\"}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12g4\"}",
                "{\"a\":\"tab\there\"}",
                "{\"a\":1} x",
                "{\"a\":1}{}",
                "{\"a\":1"
            })
    void leavesEverythingElseToTheTreeReader(String json) {
        assertThat(read(json.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void leavesBytesThatAreNotStrictUtf8() {
        int[][] bad = {
            {0xC0, 0x80}, // overlong
            {0xE0, 0x80, 0x80}, // overlong
            {0xED, 0xA0, 0x80}, // a surrogate
            {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
            {0xE4, 0xB8}, // cut short
            {0x80}, // a continuation alone
            {0xFF}
        };
        for (int[] bytes : bad) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            raw.writeBytes(ascii("{\"text\":\"a"));
            for (int b : bytes) {
                raw.write(b);
            }
            raw.writeBytes(ascii("\"}"));
            assertThat(read(raw.toByteArray()))
                    .as("%s", java.util.Arrays.toString(bytes))
                    .isFalse();
        }
    }

    /**
     * Every event, then every one of them broken at every byte (a byte replaced by, or inserted as,
     * one that matters to JSON or UTF-8; the record cut there): the codec's answer is the tree
     * reader's, whichever reader gave it.
     */
    @Test
    void agreesWithTheTreeReaderOnEveryRecordValidOrBroken() {
        List<byte[]> records = new ArrayList<>();
        for (LiveEvent event : EventCodecTest.oneOfEachType()) {
            records.add(EventCodec.encode(event));
        }
        records.add(
                EventCodec.encode(
                        new Comment(
                                "e",
                                "r",
                                "l",
                                T0,
                                "u",
                                "esc \" \\ / \n\t\u0001 é 中 \ud83d\ude00")));
        records.add(
                ascii(
                        "{\"v\":1,\"id\":\"e\",\"type\":\"like\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                + T0
                                + ",\"user\":\"u\\u00e9\",\"count\":-0,\"x\":[1],\"y\":null,\"z\":false}"));
        int[] interesting = {
            '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '0', '1', '-', '.', 'e', 'u', 'n',
            't', 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE4, 0xED, 0xF0, 0xF4, 0xFF
        };
        int compared = 0;
        int takenByTheFlatReader = 0; // with this test's names: which are kept does not matter
        for (byte[] record : records) {
            List<byte[]> variants = new ArrayList<>();
            variants.add(record);
            for (int at = 0; at <= record.length; at++) {
                variants.add(java.util.Arrays.copyOf(record, at));
                for (int b : interesting) {
                    if (at < record.length) {
                        byte[] replaced = record.clone();
                        replaced[at] = (byte) b;
                        variants.add(replaced);
                    }
                    byte[] inserted = new byte[record.length + 1];
                    System.arraycopy(record, 0, inserted, 0, at);
                    inserted[at] = (byte) b;
                    System.arraycopy(record, at, inserted, at + 1, record.length - at);
                    variants.add(inserted);
                }
            }
            for (byte[] raw : variants) {
                if (raw.length == 0) {
                    continue; // rejected before either reader
                }
                // called directly too: decode would hide an exception behind the tree reader
                if (read(raw)) {
                    takenByTheFlatReader++;
                }
                assertThat(codec.decode(raw))
                        .as("%s", new String(raw, StandardCharsets.ISO_8859_1))
                        .isEqualTo(codec.decodeTree(raw));
                compared++;
            }
        }
        // the comparison means something only if the flat reader took many of them
        assertThat(takenByTheFlatReader).isGreaterThan(compared / 10);
    }

    private static boolean read(byte[] raw) {
        return FlatObjectReader.read(raw, NAMES, new Object[NAMES.length]);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
