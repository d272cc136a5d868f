package io.livepulse.events;

/**
 * Why a record is not a valid v1 event. {@link #reason()} is a stable code for counting and
 * alerting; {@link #detail()} says exactly what was wrong, for the person reading the dead letter.
 */
public record Rejection(Reason reason, String detail) {

    /** Stable rejection codes; their wire names appear in the dead-letter topic. */
    public enum Reason {
        EMPTY_RECORD("empty_record"),
        TOO_LARGE("too_large"),
        NOT_UTF8("not_utf8"),
        BAD_JSON("bad_json"),
        NOT_AN_OBJECT("not_an_object"),
        UNSUPPORTED_VERSION("unsupported_version"),
        UNKNOWN_TYPE("unknown_type"),
        MISSING_FIELD("missing_field"),
        WRONG_TYPE("wrong_type"),
        INVALID_VALUE("invalid_value"),
        TS_IN_FUTURE("ts_in_future"),
        TS_TOO_OLD("ts_too_old");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    @Override
    public String toString() {
        return reason.code() + ": " + detail;
    }
}
