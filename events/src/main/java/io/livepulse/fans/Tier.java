package io.livepulse.fans;

/**
 * The fan tier a viewer is counted under for one broadcast. The first three are fans (they follow
 * the room); {@link #UNKNOWN} is used when the fan directory could not answer in time.
 */
public enum Tier {
    TRUE_LOVE("true_love"),
    AFFINITY("affinity"),
    PASSERBY("passerby"),
    NON_FAN("non_fan"),
    UNKNOWN("unknown");

    private final String wireName;

    Tier(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isFan() {
        return this == TRUE_LOVE || this == AFFINITY || this == PASSERBY;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted ones. */
    public static Tier fromWireName(String name) {
        for (Tier t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown tier \""
                        + name
                        + "\"; expected one of true_love, affinity, passerby, non_fan, unknown");
    }
}
