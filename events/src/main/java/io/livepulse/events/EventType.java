package io.livepulse.events;

import java.util.HashMap;
import java.util.Map;

/** The {@code type} field of event contract v1. */
public enum EventType {
    LIVE_START("live_start", false),
    LIVE_END("live_end", false),
    ENTER("enter", true),
    LEAVE("leave", true),
    COMMENT("comment", true),
    LIKE("like", true),
    SHARE("share", true),
    GIFT("gift", true),
    FOLLOW("follow", true),
    FAN_CLUB_JOIN("fan_club_join", true),
    PRODUCT_CLICK("product_click", true),
    ORDER_PAID("order_paid", true),
    ORDER_REFUNDED("order_refunded", true);

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_WIRE_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;
    private final boolean viewerEvent;

    EventType(String wireName, boolean viewerEvent) {
        this.wireName = wireName;
        this.viewerEvent = viewerEvent;
    }

    /** The name on the wire, e.g. {@code order_paid}. */
    public String wireName() {
        return wireName;
    }

    /** Viewer events carry {@code user}; room-level events (start, end) do not. */
    public boolean isViewerEvent() {
        return viewerEvent;
    }

    /** Returns the type for a wire name, or {@code null} if the name is not part of v1. */
    public static EventType fromWireName(String name) {
        return BY_WIRE_NAME.get(name);
    }
}
