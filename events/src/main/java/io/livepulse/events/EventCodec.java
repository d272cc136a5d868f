package io.livepulse.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * JSON codec of event contract v1. {@link #decode} validates everything the contract says and turns
 * any bad record into a {@link Rejection} with a precise reason; it never throws for bad input.
 * {@link #encode} writes the fields in a fixed order, so equal events give equal bytes.
 *
 * <p>Thread-safe: one instance may be shared.
 */
public final class EventCodec {

    /** Records above this size are rejected unread (a real event is a few hundred bytes). */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    /** Timestamps before this are taken for seconds instead of milliseconds, or garbage. */
    public static final long MIN_TS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    /** Default tolerance for clocks ahead of ours. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);

    static final int MAX_ID_CHARS = 128;
    static final int MAX_TITLE_CHARS = 512;
    static final int MAX_TEXT_CHARS = 2000;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final Clock clock;
    private final long maxFutureSkewMs;

    public EventCodec(Clock clock, Duration maxFutureSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException(
                    "maxFutureSkew must not be negative: " + maxFutureSkew);
        }
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    /** A codec on the system clock with the default future skew. */
    public EventCodec() {
        this(Clock.systemUTC(), DEFAULT_MAX_FUTURE_SKEW);
    }

    /** Decodes and validates one raw record. Never throws on bad input. */
    public DecodeResult decode(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return rejected(Reason.EMPTY_RECORD, "the record has no bytes");
        }
        if (raw.length > MAX_RECORD_BYTES) {
            return rejected(
                    Reason.TOO_LARGE,
                    "record of " + raw.length + " bytes exceeds " + MAX_RECORD_BYTES + " bytes");
        }
        Fields fields;
        try {
            fields = Fields.flat(raw);
        } catch (RuntimeException e) {
            // Not expected (FlatObjectReaderTest feeds it 141,042 records, most broken); should it
            // happen, the tree reader still gives the record's answer instead of failing the job.
            fields = null;
        }
        if (fields == null) {
            return decodeTree(raw);
        }
        return validate(fields);
    }

    /**
     * The reader for records {@link FlatObjectReader} does not take (bad JSON, another root,
     * trailing tokens, nested or fractional values, repeated fields). Rare, so it may build the
     * tree, with Jackson's strict checks; its words are the rejection's. Package-private for the
     * test that holds both readers to the same results.
     */
    DecodeResult decodeTree(byte[] raw) {
        JsonNode root;
        try {
            root = MAPPER.readTree(raw);
        } catch (IOException | RuntimeException e) {
            // Checked only on the failure path, so valid traffic does not pay for it.
            if (!isUtf8(raw)) {
                return rejected(Reason.NOT_UTF8, "the record is not UTF-8 text (binary data?)");
            }
            return rejected(Reason.BAD_JSON, firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return rejected(Reason.BAD_JSON, "the record holds no JSON value (only white space)");
        }
        if (!root.isObject()) {
            return rejected(
                    Reason.NOT_AN_OBJECT,
                    "expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        return validate(Fields.of(root));
    }

    private DecodeResult validate(Fields fields) {
        try {
            return new DecodeResult.Valid(toEvent(fields));
        } catch (InvalidEventException e) {
            return new DecodeResult.Rejected(e.rejection);
        }
    }

    private LiveEvent toEvent(Fields f) throws InvalidEventException {
        long v = f.requireLong("v", Long.MIN_VALUE);
        if (v != LiveEvent.VERSION) {
            throw invalid(
                    Reason.UNSUPPORTED_VERSION,
                    "'v' is " + v + "; this reader understands version " + LiveEvent.VERSION);
        }
        String typeName = f.requireText("type", MAX_ID_CHARS);
        EventType type = EventType.fromWireName(typeName);
        if (type == null) {
            throw invalid(
                    Reason.UNKNOWN_TYPE, "'type' \"" + typeName + "\" is not a v1 event type");
        }
        String id = f.requireText("id", MAX_ID_CHARS);
        String room = f.requireText("room", MAX_ID_CHARS);
        String live = f.requireText("live", MAX_ID_CHARS);
        long ts = f.requireLong("ts", Long.MIN_VALUE);
        checkTimestamp(ts);
        String user = type.isViewerEvent() ? f.requireText("user", MAX_ID_CHARS) : null;

        return switch (type) {
            case LIVE_START ->
                    new LiveStart(
                            id,
                            room,
                            live,
                            ts,
                            f.requireText("host", MAX_ID_CHARS),
                            f.requireText("title", MAX_TITLE_CHARS),
                            f.optionalGoal("goal"));
            case LIVE_END -> new LiveEnd(id, room, live, ts);
            case ENTER ->
                    new Enter(
                            id,
                            room,
                            live,
                            ts,
                            user,
                            f.optionalText("source", MAX_ID_CHARS),
                            f.optionalText("device", MAX_ID_CHARS));
            case LEAVE -> new Leave(id, room, live, ts, user);
            case COMMENT ->
                    new Comment(id, room, live, ts, user, f.optionalText("text", MAX_TEXT_CHARS));
            case LIKE -> new Like(id, room, live, ts, user, f.requireInt("count", 1));
            case SHARE -> new Share(id, room, live, ts, user);
            case GIFT ->
                    new Gift(
                            id,
                            room,
                            live,
                            ts,
                            user,
                            f.requireText("gift", MAX_ID_CHARS),
                            f.requireLong("value_cents", 0),
                            f.optionalText("combo", MAX_ID_CHARS),
                            f.optionalBoolean("combo_end"));
            case FOLLOW -> new Follow(id, room, live, ts, user);
            case FAN_CLUB_JOIN -> new FanClubJoin(id, room, live, ts, user);
            case PRODUCT_CLICK ->
                    new ProductClick(id, room, live, ts, user, f.requireText("sku", MAX_ID_CHARS));
            case ORDER_PAID ->
                    new OrderPaid(
                            id,
                            room,
                            live,
                            ts,
                            user,
                            f.requireText("order", MAX_ID_CHARS),
                            f.requireText("sku", MAX_ID_CHARS),
                            f.requireInt("qty", 1),
                            f.requireLong("amount_cents", 0));
            case ORDER_REFUNDED ->
                    new OrderRefunded(
                            id,
                            room,
                            live,
                            ts,
                            user,
                            f.requireText("order", MAX_ID_CHARS),
                            f.requireLong("amount_cents", 0));
        };
    }

    private void checkTimestamp(long ts) throws InvalidEventException {
        if (ts < MIN_TS) {
            throw invalid(
                    Reason.TS_TOO_OLD,
                    "'ts' "
                            + ts
                            + " is before 2000-01-01 (epoch seconds instead of milliseconds?)");
        }
        long latest = clock.millis() + maxFutureSkewMs;
        if (ts > latest) {
            throw invalid(
                    Reason.TS_IN_FUTURE,
                    "'ts' "
                            + ts
                            + " ("
                            + Instant.ofEpochMilli(ts)
                            + ") is more than "
                            + Duration.ofMillis(maxFutureSkewMs)
                            + " ahead of the clock");
        }
    }

    /** Writes one event as compact JSON, fields in contract order. */
    public static byte[] encode(LiveEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", LiveEvent.VERSION);
            g.writeStringField("id", e.id());
            g.writeStringField("type", e.type().wireName());
            g.writeStringField("room", e.room());
            g.writeStringField("live", e.live());
            g.writeNumberField("ts", e.ts());
            if (e.user() != null) {
                g.writeStringField("user", e.user());
            }
            writeExtraFields(g, e);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot happen: writing to memory", ex);
        }
        return out.toByteArray();
    }

    private static void writeExtraFields(JsonGenerator g, LiveEvent e) throws IOException {
        switch (e.type()) {
            case LIVE_START -> {
                LiveStart s = (LiveStart) e;
                g.writeStringField("host", s.host());
                g.writeStringField("title", s.title());
                if (s.goal() != null) {
                    g.writeObjectFieldStart("goal");
                    if (s.goal().gmvCents() != null) {
                        g.writeNumberField("gmv_cents", s.goal().gmvCents());
                    }
                    if (s.goal().newFans() != null) {
                        g.writeNumberField("new_fans", s.goal().newFans());
                    }
                    g.writeEndObject();
                }
            }
            case ENTER -> {
                writeOptional(g, "source", ((Enter) e).source());
                writeOptional(g, "device", ((Enter) e).device());
            }
            case COMMENT -> writeOptional(g, "text", ((Comment) e).text());
            case LIKE -> g.writeNumberField("count", ((Like) e).count());
            case GIFT -> {
                Gift gift = (Gift) e;
                g.writeStringField("gift", gift.gift());
                g.writeNumberField("value_cents", gift.valueCents());
                writeOptional(g, "combo", gift.combo());
                if (gift.comboEnd()) {
                    g.writeBooleanField("combo_end", true);
                }
            }
            case PRODUCT_CLICK -> g.writeStringField("sku", ((ProductClick) e).sku());
            case ORDER_PAID -> {
                OrderPaid o = (OrderPaid) e;
                g.writeStringField("order", o.order());
                g.writeStringField("sku", o.sku());
                g.writeNumberField("qty", o.qty());
                g.writeNumberField("amount_cents", o.amountCents());
            }
            case ORDER_REFUNDED -> {
                OrderRefunded r = (OrderRefunded) e;
                g.writeStringField("order", r.order());
                g.writeNumberField("amount_cents", r.amountCents());
            }
            case LIVE_END, LEAVE, SHARE, FOLLOW, FAN_CLUB_JOIN -> {
                // no fields beyond the common ones
            }
        }
    }

    private static void writeOptional(JsonGenerator g, String name, String value)
            throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    static boolean isUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static DecodeResult rejected(Reason reason, String detail) {
        return new DecodeResult.Rejected(new Rejection(reason, detail));
    }

    static InvalidEventException invalid(Reason reason, String detail) {
        return new InvalidEventException(new Rejection(reason, detail));
    }

    /** Carries a rejection out of the field readers; never escapes {@link #decode}. */
    static final class InvalidEventException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Rejection rejection;

        InvalidEventException(Rejection rejection) {
            super(rejection.toString(), null, false, false);
            this.rejection = rejection;
        }
    }

    /**
     * Typed, checked access to the fields of one JSON object: the contract's fields only, each held
     * as a {@code String} (a JSON string), a {@code Long} (an integer that fits in 64 bits), a
     * {@code Boolean} or, for anything else (fractions, huge integers, objects, arrays), its tree.
     * Unknown fields are not kept, and JSON null is the same as absent.
     */
    private static final class Fields {
        /** The contract's fields; a field's slot in {@link #values} is its place here. */
        private static final List<String> NAMES =
                List.of(
                        "v",
                        "type",
                        "id",
                        "room",
                        "live",
                        "ts",
                        "user",
                        "host",
                        "title",
                        "goal",
                        "source",
                        "device",
                        "text",
                        "count",
                        "gift",
                        "value_cents",
                        "combo",
                        "combo_end",
                        "sku",
                        "order",
                        "qty",
                        "amount_cents");

        private static final byte[][] NAME_BYTES =
                NAMES.stream()
                        .map(name -> name.getBytes(StandardCharsets.US_ASCII))
                        .toArray(byte[][]::new);

        private static final Map<String, Integer> SLOTS =
                IntStream.range(0, NAMES.size())
                        .boxed()
                        .collect(Collectors.toUnmodifiableMap(NAMES::get, slot -> slot));

        private final Object[] values = new Object[NAMES.size()];

        /**
         * The everyday record, read by {@link FlatObjectReader}; {@code null} for any other (bad
         * JSON, another root, nested values, fractions, repeated fields, see there), which the tree
         * reader takes, with Jackson's strict checks and the words of its rejection.
         */
        static Fields flat(byte[] raw) {
            Fields f = new Fields();
            return FlatObjectReader.read(raw, NAME_BYTES, f.values) ? f : null;
        }

        /** The same fields, from a tree. */
        static Fields of(JsonNode node) {
            Fields f = new Fields();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                int slot = slotOf(field.getKey());
                JsonNode value = field.getValue();
                if (slot < 0 || value.isNull()) {
                    continue;
                }
                if (value.isTextual()) {
                    f.values[slot] = value.textValue();
                } else if (value.isInt() || value.isLong()) {
                    f.values[slot] = value.longValue();
                } else if (value.isBoolean()) {
                    f.values[slot] = value.booleanValue();
                } else {
                    f.values[slot] = value;
                }
            }
            return f;
        }

        private static int slotOf(String name) {
            Integer slot = SLOTS.get(name);
            return slot == null ? -1 : slot;
        }

        private Object present(String name) {
            return values[slotOf(name)];
        }

        String requireText(String name, int maxChars) throws InvalidEventException {
            String value = optionalText(name, maxChars);
            if (value == null) {
                throw invalid(Reason.MISSING_FIELD, "'" + name + "' is required");
            }
            return value;
        }

        String optionalText(String name, int maxChars) throws InvalidEventException {
            Object value = present(name);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw invalid(
                        Reason.WRONG_TYPE, "'" + name + "' must be a string, got " + kind(value));
            }
            if (text.isEmpty()) {
                throw invalid(Reason.INVALID_VALUE, "'" + name + "' must not be empty");
            }
            if (text.length() > maxChars) {
                throw invalid(
                        Reason.INVALID_VALUE,
                        "'" + name + "' has " + text.length() + " characters, at most " + maxChars);
            }
            return text;
        }

        long requireLong(String name, long min) throws InvalidEventException {
            Object value = present(name);
            if (value == null) {
                throw invalid(Reason.MISSING_FIELD, "'" + name + "' is required");
            }
            return checkedLong(name, value, min);
        }

        int requireInt(String name, int min) throws InvalidEventException {
            long value = requireLong(name, min);
            if (value > Integer.MAX_VALUE) {
                throw invalid(
                        Reason.INVALID_VALUE,
                        "'" + name + "' is " + value + ", at most " + Integer.MAX_VALUE);
            }
            return (int) value;
        }

        boolean optionalBoolean(String name) throws InvalidEventException {
            Object value = present(name);
            if (value == null) {
                return false;
            }
            if (!(value instanceof Boolean flag)) {
                throw invalid(
                        Reason.WRONG_TYPE,
                        "'" + name + "' must be true or false, got " + kind(value));
            }
            return flag;
        }

        Goal optionalGoal(String name) throws InvalidEventException {
            Object value = present(name);
            if (value == null) {
                return null;
            }
            if (!(value instanceof JsonNode node) || !node.isObject()) {
                throw invalid(
                        Reason.WRONG_TYPE, "'" + name + "' must be an object, got " + kind(value));
            }
            Long gmv = optionalNested(node, name, "gmv_cents");
            Long fans = optionalNested(node, name, "new_fans");
            return new Goal(gmv, fans);
        }

        private static Long optionalNested(JsonNode parent, String parentName, String name)
                throws InvalidEventException {
            JsonNode value = parent.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            return checkedLong(parentName + "." + name, value, 0);
        }

        /** A {@code Long}, or an integer that may not fit, or anything else (wrong type). */
        private static long checkedLong(String name, Object value, long min)
                throws InvalidEventException {
            long v;
            if (value instanceof Long l) {
                v = l;
            } else if (value instanceof JsonNode node && node.isIntegralNumber()) {
                if (!node.canConvertToLong()) {
                    throw invalid(Reason.INVALID_VALUE, "'" + name + "' does not fit in 64 bits");
                }
                v = node.longValue();
            } else {
                throw invalid(
                        Reason.WRONG_TYPE, "'" + name + "' must be an integer, got " + kind(value));
            }
            if (v < min) {
                throw invalid(
                        Reason.INVALID_VALUE,
                        "'" + name + "' is " + v + ", must be at least " + min);
            }
            return v;
        }

        private static String kind(Object value) {
            if (value instanceof String text) {
                return "the string \"" + text + "\"";
            }
            if (value instanceof Long number) {
                return "the number " + number;
            }
            if (value instanceof Boolean) {
                return "boolean";
            }
            JsonNode node = (JsonNode) value;
            if (node.isNumber()) {
                return "the number " + node.asText();
            }
            if (node.isTextual()) {
                return "the string \"" + node.textValue() + "\"";
            }
            return node.getNodeType().name().toLowerCase();
        }
    }
}
