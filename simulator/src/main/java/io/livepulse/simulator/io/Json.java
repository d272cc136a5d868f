package io.livepulse.simulator.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The simulator's JSON conventions: snake_case names, stable field order, pretty ledgers. */
public final class Json {

    /** For ledgers: snake_case, indented, map keys in a stable order. */
    public static final ObjectMapper LEDGER =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .build();

    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {}

    /** One profile as one JSON Lines record. */
    public static String profileLine(FanProfile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("room", p.room());
        m.put("user", p.user());
        m.put("tier", p.tier().wireName());
        m.put("followed_at", p.followedAt());
        m.put("fan_club", p.fanClub() ? 1 : 0);
        m.put("intimacy", p.intimacy());
        if (p.lastPurchaseAt() != null) {
            m.put("last_purchase_at", p.lastPurchaseAt());
        }
        try {
            return COMPACT.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses one profile line; throws {@link IllegalArgumentException} saying what is wrong with
     * it.
     */
    public static FanProfile parseProfileLine(String line) {
        JsonNode n;
        try {
            n = COMPACT.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String room = text(n, "room");
        String user = text(n, "user");
        Tier tier = Tier.fromWireName(text(n, "tier"));
        long followedAt = integer(n, "followed_at");
        long fanClub = n.has("fan_club") ? integer(n, "fan_club") : 0;
        if (fanClub != 0 && fanClub != 1) {
            throw new IllegalArgumentException("fan_club must be 0 or 1, got " + fanClub);
        }
        JsonNode intimacy = n.get("intimacy");
        if (intimacy != null && !intimacy.isNumber()) {
            throw new IllegalArgumentException("intimacy must be a number");
        }
        Long lastPurchase =
                n.hasNonNull("last_purchase_at") ? integer(n, "last_purchase_at") : null;
        return new FanProfile(
                room,
                user,
                tier,
                followedAt,
                fanClub == 1,
                intimacy == null ? 0 : intimacy.doubleValue(),
                lastPurchase);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
        }
        return v.textValue();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return v.longValue();
    }
}
