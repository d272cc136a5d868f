package io.livepulse.events;

/**
 * One event of contract v1 (see docs/events.md). Every type is a record with the common fields
 * first; {@link #user()} is {@code null} on room-level events.
 */
public sealed interface LiveEvent
        permits LiveEvent.LiveStart,
                LiveEvent.LiveEnd,
                LiveEvent.Enter,
                LiveEvent.Leave,
                LiveEvent.Comment,
                LiveEvent.Like,
                LiveEvent.Share,
                LiveEvent.Gift,
                LiveEvent.Follow,
                LiveEvent.FanClubJoin,
                LiveEvent.ProductClick,
                LiveEvent.OrderPaid,
                LiveEvent.OrderRefunded {

    /** The only contract version this code reads and writes. */
    int VERSION = 1;

    /** Unique event id; repeated deliveries of one event share it (dedupe key). */
    String id();

    /** Room id; also the Kafka record key. */
    String room();

    /** Broadcast id: one room broadcasts many times. */
    String live();

    /** Event time, epoch milliseconds. */
    long ts();

    /** Viewer id, or {@code null} for room-level events. */
    String user();

    EventType type();

    /** Goal of a broadcast; either figure may be absent. */
    record Goal(Long gmvCents, Long newFans) {}

    record LiveStart(
            String id, String room, String live, long ts, String host, String title, Goal goal)
            implements LiveEvent {
        @Override
        public String user() {
            return null;
        }

        @Override
        public EventType type() {
            return EventType.LIVE_START;
        }
    }

    record LiveEnd(String id, String room, String live, long ts) implements LiveEvent {
        @Override
        public String user() {
            return null;
        }

        @Override
        public EventType type() {
            return EventType.LIVE_END;
        }
    }

    /**
     * {@code source} is optional: recommend, follow_feed, search, share, ad, or a newer one. {@code
     * device} is optional: the viewer's device, where the platform reports it (many accounts on one
     * device is how bought traffic looks).
     */
    record Enter(
            String id, String room, String live, long ts, String user, String source, String device)
            implements LiveEvent {
        /** An entry without a device id. */
        public Enter(String id, String room, String live, long ts, String user, String source) {
            this(id, room, live, ts, user, source, null);
        }

        @Override
        public EventType type() {
            return EventType.ENTER;
        }
    }

    record Leave(String id, String room, String live, long ts, String user) implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.LEAVE;
        }
    }

    record Comment(String id, String room, String live, long ts, String user, String text)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.COMMENT;
        }
    }

    /** One message may carry many likes: {@code count} ≥ 1. */
    record Like(String id, String room, String live, long ts, String user, int count)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.LIKE;
        }
    }

    record Share(String id, String room, String live, long ts, String user) implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.SHARE;
        }
    }

    /**
     * A gift message. Messages of one combo share {@code combo}; each carries the combo's running
     * value so far, and the last one has {@code comboEnd} set. A combo counts as one gift.
     */
    record Gift(
            String id,
            String room,
            String live,
            long ts,
            String user,
            String gift,
            long valueCents,
            String combo,
            boolean comboEnd)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.GIFT;
        }
    }

    record Follow(String id, String room, String live, long ts, String user) implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.FOLLOW;
        }
    }

    record FanClubJoin(String id, String room, String live, long ts, String user)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.FAN_CLUB_JOIN;
        }
    }

    record ProductClick(String id, String room, String live, long ts, String user, String sku)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.PRODUCT_CLICK;
        }
    }

    record OrderPaid(
            String id,
            String room,
            String live,
            long ts,
            String user,
            String order,
            String sku,
            int qty,
            long amountCents)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.ORDER_PAID;
        }
    }

    record OrderRefunded(
            String id,
            String room,
            String live,
            long ts,
            String user,
            String order,
            long amountCents)
            implements LiveEvent {
        @Override
        public EventType type() {
            return EventType.ORDER_REFUNDED;
        }
    }
}
