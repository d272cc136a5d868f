package io.livepulse.fans;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fan's profile for one room, as stored in Redis (see docs/events.md, "Fan profile contract").
 * Only fans have a profile: no key means non-fan.
 *
 * @param tier one of the fan tiers (true_love, affinity, passerby)
 * @param followedAt when the viewer followed the room, epoch ms
 * @param intimacy the score the tiering job computed
 * @param lastPurchaseAt the last purchase in this room before now, epoch ms, or {@code null}
 */
public record FanProfile(
        String room,
        String user,
        Tier tier,
        long followedAt,
        boolean fanClub,
        double intimacy,
        Long lastPurchaseAt)
        implements Serializable {

    public static final String KEY_PREFIX = "fan:";

    public FanProfile {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(user, "user");
        if (tier == null || !tier.isFan()) {
            throw new IllegalArgumentException(
                    "a fan profile's tier must be true_love, affinity or passerby, got " + tier);
        }
    }

    /** The Redis key of a (room, user) profile: {@code fan:<room>:<user>}. */
    public static String redisKey(String room, String user) {
        return KEY_PREFIX + room + ":" + user;
    }

    public String redisKey() {
        return redisKey(room, user);
    }

    /** Old fans followed before the cut-off (by default 30 days before the broadcast started). */
    public boolean isOldFan(long cutoffMs) {
        return followedAt < cutoffMs;
    }

    /** The Redis hash fields of this profile. */
    public Map<String, String> toHash() {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("tier", tier.wireName());
        hash.put("followed_at", Long.toString(followedAt));
        hash.put("fan_club", fanClub ? "1" : "0");
        hash.put("intimacy", Double.toString(intimacy));
        if (lastPurchaseAt != null) {
            hash.put("last_purchase_at", Long.toString(lastPurchaseAt));
        }
        return hash;
    }

    /**
     * Reads a profile from its Redis hash; throws {@link IllegalArgumentException} saying which
     * field is missing or malformed.
     */
    public static FanProfile fromHash(String room, String user, Map<String, String> hash) {
        Tier tier = Tier.fromWireName(required(hash, "tier"));
        long followedAt = parseLong(hash, "followed_at", required(hash, "followed_at"));
        String fanClub = hash.getOrDefault("fan_club", "0");
        if (!fanClub.equals("0") && !fanClub.equals("1")) {
            throw new IllegalArgumentException("fan_club must be 0 or 1, got \"" + fanClub + "\"");
        }
        double intimacy;
        try {
            intimacy = Double.parseDouble(hash.getOrDefault("intimacy", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "intimacy must be a number, got \"" + hash.get("intimacy") + "\"");
        }
        String lastPurchase = hash.get("last_purchase_at");
        Long lastPurchaseAt =
                lastPurchase == null ? null : parseLong(hash, "last_purchase_at", lastPurchase);
        return new FanProfile(
                room, user, tier, followedAt, fanClub.equals("1"), intimacy, lastPurchaseAt);
    }

    private static String required(Map<String, String> hash, String field) {
        String value = hash.get(field);
        if (value == null) {
            throw new IllegalArgumentException("fan profile hash lacks '" + field + "'");
        }
        return value;
    }

    private static long parseLong(Map<String, String> hash, String field, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    field + " must be an integer (epoch ms), got \"" + value + "\"");
        }
    }
}
