package io.livepulse.jobs.records;

import io.livepulse.fans.Tier;

/** The groups a room's figures are kept for: each tier, and fans, old fans and everyone. */
public enum Group {
    TRUE_LOVE("true_love"),
    AFFINITY("affinity"),
    PASSERBY("passerby"),
    NON_FAN("non_fan"),
    UNKNOWN("unknown"),
    FANS("fans"),
    OLD_FANS("old_fans"),
    ALL("all");

    public static final int COUNT = values().length;

    private final String wireName;

    Group(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The tier's own group; tiers and the first five groups share their order. */
    public static Group of(Tier tier) {
        return values()[tier.ordinal()];
    }
}
