package io.livepulse.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.events.LiveEvent.Comment;
import io.livepulse.events.LiveEvent.Enter;
import io.livepulse.events.LiveEvent.FanClubJoin;
import io.livepulse.events.LiveEvent.Follow;
import io.livepulse.events.LiveEvent.Gift;
import io.livepulse.events.LiveEvent.Goal;
import io.livepulse.events.LiveEvent.Leave;
import io.livepulse.events.LiveEvent.Like;
import io.livepulse.events.LiveEvent.LiveEnd;
import io.livepulse.events.LiveEvent.LiveStart;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.events.LiveEvent.ProductClick;
import io.livepulse.events.LiveEvent.Share;
import io.livepulse.events.Rejection.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    /** The codec's clock stands still at NOW, so future-timestamp checks are exact. */
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final long T0 = NOW.minusSeconds(3600).toEpochMilli();

    private final EventCodec codec =
            new EventCodec(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

    static List<LiveEvent> oneOfEachType() {
        return List.of(
                new LiveStart("e1", "r1", "l1", T0, "host-1", "春季新品", new Goal(5_000_000L, 200L)),
                new LiveStart("e2", "r1", "l1", T0, "host-1", "no goal", null),
                new Enter("e3", "r1", "l1", T0 + 1, "u1", "recommend"),
                new Enter("e4", "r1", "l1", T0 + 1, "u2", null),
                new Enter("e4b", "r1", "l1", T0 + 1, "u3", "ad", "device-7"),
                new Comment("e5", "r1", "l1", T0 + 2, "u1", "好喝! \"quoted\""),
                new Like("e6", "r1", "l1", T0 + 3, "u1", 15),
                new Share("e7", "r1", "l1", T0 + 4, "u1"),
                new Gift("e8", "r1", "l1", T0 + 5, "u1", "rose", 100, "c1", false),
                new Gift("e9", "r1", "l1", T0 + 6, "u1", "rose", 300, "c1", true),
                new Gift("e10", "r1", "l1", T0 + 6, "u1", "rocket", 50_000, null, false),
                new Follow("e11", "r1", "l1", T0 + 7, "u2"),
                new FanClubJoin("e12", "r1", "l1", T0 + 8, "u2"),
                new ProductClick("e13", "r1", "l1", T0 + 9, "u2", "sku-9"),
                new OrderPaid("e14", "r1", "l1", T0 + 10, "u2", "o1", "sku-9", 2, 19_980),
                new OrderRefunded("e15", "r1", "l1", T0 + 11, "u2", "o1", 19_980),
                new Leave("e16", "r1", "l1", T0 + 12, "u2"),
                new LiveEnd("e17", "r1", "l1", T0 + 13));
    }

    @ParameterizedTest
    @MethodSource("oneOfEachType")
    void everyEventRoundTrips(LiveEvent event) {
        byte[] json = EventCodec.encode(event);

        DecodeResult result = codec.decode(json);

        assertThat(result).isEqualTo(new DecodeResult.Valid(event));
        assertThat(EventCodec.encode(((DecodeResult.Valid) result).event())).isEqualTo(json);
    }

    @Test
    void theRoundTripCoversEveryType() {
        Set<EventType> covered =
                oneOfEachType().stream().map(LiveEvent::type).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(EnumSet.allOf(EventType.class));
    }

    @Test
    void encodingIsCompactAndInContractOrder() {
        byte[] json = EventCodec.encode(new Like("e6", "r1", "l1", T0, "u1", 3));
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"v\":1,\"id\":\"e6\",\"type\":\"like\",\"room\":\"r1\",\"live\":\"l1\",\"ts\":"
                                + T0
                                + ",\"user\":\"u1\",\"count\":3}");
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String share =
                "{\"v\":1,\"id\":\"e\",\"type\":\"share\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                        + T0
                        + ",\"user\":\"u\",\"device\":\"d-1\"";
        DecodeResult expected = new DecodeResult.Valid(new Share("e", "r", "l", T0, "u"));
        // scalars (the flat reader skips them) and nested values (the tree reader's)
        assertThat(codec.decode(utf8(share + ",\"score\":1.5,\"seen\":true,\"tag\":null}")))
                .isEqualTo(expected);
        assertThat(codec.decode(utf8(share + ",\"extra\":{\"a\":[1,{\"b\":null}]},\"more\":[]}")))
                .isEqualTo(expected);
    }

    /** A valid like with one field replaced: {@code %s} stands for the field list's tail. */
    private static String like(String tail) {
        return "{\"v\":1,\"id\":\"e\",\"type\":\"like\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                + T0
                + ",\"user\":\"u\""
                + tail
                + "}";
    }

    static Stream<Arguments> badRecords() {
        long future = NOW.plus(Duration.ofHours(2)).toEpochMilli();
        return Stream.of(
                Arguments.of("empty", new byte[0], Reason.EMPTY_RECORD, "no bytes"),
                Arguments.of(
                        "too large",
                        ("{\"x\":\"" + "a".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                        Reason.TOO_LARGE,
                        "exceeds 65536"),
                Arguments.of(
                        "binary",
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x13, (byte) 0x80},
                        Reason.NOT_UTF8,
                        "not UTF-8"),
                Arguments.of("bad json", utf8("{\"v\":1,"), Reason.BAD_JSON, "end-of-input"),
                Arguments.of("white space only", utf8("   "), Reason.BAD_JSON, "no JSON value"),
                Arguments.of(
                        "trailing garbage", utf8(like(",\"count\":1") + "x"), Reason.BAD_JSON, ""),
                Arguments.of(
                        "duplicate key",
                        utf8(like(",\"count\":1,\"count\":2")),
                        Reason.BAD_JSON,
                        "Duplicate field 'count'"),
                Arguments.of("array", utf8("[1,2]"), Reason.NOT_AN_OBJECT, "got array"),
                Arguments.of("string", utf8("\"hello\""), Reason.NOT_AN_OBJECT, "got string"),
                Arguments.of(
                        "version 2",
                        utf8(like(",\"count\":1").replace("\"v\":1", "\"v\":2")),
                        Reason.UNSUPPORTED_VERSION,
                        "'v' is 2"),
                Arguments.of(
                        "no version",
                        utf8(like(",\"count\":1").replace("\"v\":1,", "")),
                        Reason.MISSING_FIELD,
                        "'v' is required"),
                Arguments.of(
                        "unknown type",
                        utf8(like(",\"count\":1").replace("\"like\"", "\"super_like\"")),
                        Reason.UNKNOWN_TYPE,
                        "\"super_like\""),
                Arguments.of(
                        "missing user",
                        utf8(like(",\"count\":1").replace(",\"user\":\"u\"", "")),
                        Reason.MISSING_FIELD,
                        "'user' is required"),
                Arguments.of(
                        "null user",
                        utf8(like(",\"count\":1").replace("\"user\":\"u\"", "\"user\":null")),
                        Reason.MISSING_FIELD,
                        "'user' is required"),
                Arguments.of(
                        "missing count",
                        utf8(like("")),
                        Reason.MISSING_FIELD,
                        "'count' is required"),
                Arguments.of(
                        "count as string",
                        utf8(like(",\"count\":\"3\"")),
                        Reason.WRONG_TYPE,
                        "'count' must be an integer, got the string \"3\""),
                Arguments.of(
                        "count as fraction",
                        utf8(like(",\"count\":1.5")),
                        Reason.WRONG_TYPE,
                        "got the number 1.5"),
                Arguments.of(
                        "zero likes",
                        utf8(like(",\"count\":0")),
                        Reason.INVALID_VALUE,
                        "'count' is 0, must be at least 1"),
                Arguments.of(
                        "room as number",
                        utf8(like(",\"count\":1").replace("\"room\":\"r\"", "\"room\":7")),
                        Reason.WRONG_TYPE,
                        "'room' must be a string"),
                Arguments.of(
                        "empty id",
                        utf8(like(",\"count\":1").replace("\"id\":\"e\"", "\"id\":\"\"")),
                        Reason.INVALID_VALUE,
                        "'id' must not be empty"),
                Arguments.of(
                        "negative amount",
                        utf8(
                                "{\"v\":1,\"id\":\"e\",\"type\":\"order_paid\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                        + T0
                                        + ",\"user\":\"u\",\"order\":\"o\",\"sku\":\"s\",\"qty\":1,\"amount_cents\":-100}"),
                        Reason.INVALID_VALUE,
                        "'amount_cents' is -100, must be at least 0"),
                Arguments.of(
                        "negative refund",
                        utf8(
                                "{\"v\":1,\"id\":\"e\",\"type\":\"order_refunded\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                        + T0
                                        + ",\"user\":\"u\",\"order\":\"o\",\"amount_cents\":-1}"),
                        Reason.INVALID_VALUE,
                        "'amount_cents' is -1"),
                Arguments.of(
                        "negative goal",
                        utf8(
                                "{\"v\":1,\"id\":\"e\",\"type\":\"live_start\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                        + T0
                                        + ",\"host\":\"h\",\"title\":\"t\",\"goal\":{\"gmv_cents\":-5}}"),
                        Reason.INVALID_VALUE,
                        "'goal.gmv_cents' is -5"),
                Arguments.of(
                        "combo_end as string",
                        utf8(
                                "{\"v\":1,\"id\":\"e\",\"type\":\"gift\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                        + T0
                                        + ",\"user\":\"u\",\"gift\":\"rose\",\"value_cents\":1,\"combo_end\":\"yes\"}"),
                        Reason.WRONG_TYPE,
                        "'combo_end' must be true or false"),
                Arguments.of(
                        "far-future ts",
                        utf8(like(",\"count\":1").replace("\"ts\":" + T0, "\"ts\":" + future)),
                        Reason.TS_IN_FUTURE,
                        "ahead of the clock"),
                Arguments.of(
                        "ts in seconds",
                        utf8(like(",\"count\":1").replace("\"ts\":" + T0, "\"ts\":1780000000")),
                        Reason.TS_TOO_OLD,
                        "seconds instead of milliseconds"),
                Arguments.of(
                        "trailing second object",
                        utf8(like(",\"count\":1") + "{}"),
                        Reason.BAD_JSON,
                        "Trailing token"),
                Arguments.of(
                        "duplicate key inside an unknown field",
                        utf8(like(",\"count\":1,\"extra\":{\"a\":1,\"a\":2}")),
                        Reason.BAD_JSON,
                        "Duplicate field 'a'"),
                Arguments.of(
                        "duplicate unknown field",
                        utf8(like(",\"count\":1,\"extra\":1,\"extra\":\"x\"")),
                        Reason.BAD_JSON,
                        "Duplicate field 'extra'"),
                Arguments.of(
                        "user as boolean",
                        utf8(like(",\"count\":1").replace("\"user\":\"u\"", "\"user\":true")),
                        Reason.WRONG_TYPE,
                        "'user' must be a string, got boolean"),
                Arguments.of(
                        "count as object",
                        utf8(like(",\"count\":{\"n\":1}")),
                        Reason.WRONG_TYPE,
                        "'count' must be an integer, got object"),
                Arguments.of(
                        "goal as array",
                        utf8(
                                "{\"v\":1,\"id\":\"e\",\"type\":\"live_start\",\"room\":\"r\",\"live\":\"l\",\"ts\":"
                                        + T0
                                        + ",\"host\":\"h\",\"title\":\"t\",\"goal\":[1]}"),
                        Reason.WRONG_TYPE,
                        "'goal' must be an object, got array"),
                Arguments.of(
                        "ts too big for 64 bits",
                        utf8(
                                like(",\"count\":1")
                                        .replace("\"ts\":" + T0, "\"ts\":99999999999999999999")),
                        Reason.INVALID_VALUE,
                        "does not fit in 64 bits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordsAreRejectedWithAPreciseReason(
            String name, byte[] raw, Reason reason, String detailFragment) {
        DecodeResult result = codec.decode(raw);

        assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
        Rejection rejection = ((DecodeResult.Rejected) result).rejection();
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.detail()).contains(detailFragment);
    }

    @Test
    void everyRejectionReasonIsCoveredByTheTable() {
        Set<Reason> covered =
                badRecords().map(a -> (Reason) a.get()[2]).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(EnumSet.allOf(Reason.class));
    }

    @Test
    void aTimestampJustInsideTheSkewIsAccepted() {
        long edge = NOW.plus(Duration.ofHours(1)).toEpochMilli();
        LiveEvent event = new Share("e", "r", "l", edge, "u");
        assertThat(codec.decode(EventCodec.encode(event))).isEqualTo(new DecodeResult.Valid(event));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
