package io.livepulse.jobs.alert;

import java.util.Locale;

/** What an alert is about; {@link #wireName()} is its name in JSON, InfluxDB and the ledger. */
public enum AlertKind {
    VIEWER_CLIFF,
    GMV_STALL,
    REFUND_SPIKE,
    BOT_TRAFFIC,
    COMMENT_FLOOD,
    SHARED_DEVICE,
    SILENT_ROOM,
    DEAD_LETTERS,
    REDIS_FALLBACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
