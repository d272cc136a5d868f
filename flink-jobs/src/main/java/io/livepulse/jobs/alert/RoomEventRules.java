package io.livepulse.jobs.alert;

import io.livepulse.events.EventType;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.serde.BucketSerializer;
import io.livepulse.jobs.records.serde.RecordTypeInfo;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The rules that read single events of a room (keyed by room): comments for the comment flood,
 * entries with a device id for shared devices. Events are counted per 10 s bucket of event time and
 * judged at the end of each bucket once the watermark passes it, so the order they arrive in does
 * not matter.
 *
 * <ul>
 *   <li><b>comment_flood</b>: one text, compared by its letters only ("加V领红包!!" and "加v 领红包 888"
 *       are one text), fills at least {@code alerts.comment-flood.min-repeats} comments and {@code
 *       alerts.comment-flood.share} of all comments in the window. The share is the baseline: a
 *       room whose viewers all write "好喝!" is not flooded by it, one spammer drowning the rest is.
 *   <li><b>shared_device</b>: one device entered by at least {@code
 *       alerts.shared-device.min-accounts} different accounts within the window: bought traffic
 *       runs many accounts per phone; a family shares one between two.
 * </ul>
 */
public class RoomEventRules extends KeyedProcessFunction<String, EventRecord, Alert> {
    private static final long serialVersionUID = 1L;

    /** What one bucket of a room heard. */
    @TypeInfo(Bucket.Info.class)
    public static class Bucket {
        /** Comments by normalised text; {@link #TOTAL} counts them all. */
        public Map<String, Integer> texts = new HashMap<>();

        /** The (device, account) pairs of the entries with a device. */
        public DeviceAccounts deviceAccounts = new DeviceAccounts();

        public Bucket() {}

        /** Flink's type information for it: {@link BucketSerializer}. */
        public static final class Info extends TypeInfoFactory<Bucket> {
            @Override
            public TypeInformation<Bucket> createTypeInfo(
                    Type t, Map<String, TypeInformation<?>> genericParameters) {
                return new RecordTypeInfo<>(Bucket.class, BucketSerializer.INSTANCE);
            }
        }
    }

    /** The key under which a bucket counts all its comments (no normalised text is empty). */
    private static final String TOTAL = "";

    private final AlertRules rules;
    private transient MapState<Long, Bucket> buckets;
    private transient ValueState<Incident> flood;
    private transient ValueState<Incident> sharedDevice;
    private transient ValueState<String> live;

    /** Each room's shared-device window: a cache of its buckets, not state (see DeviceWindow). */
    private transient Map<String, DeviceWindow> deviceWindows;

    public RoomEventRules(AlertRules rules) {
        this.rules = rules;
    }

    /** Whether an event feeds one of these rules. */
    public static boolean reads(EventRecord e) {
        return (e.type == EventType.COMMENT && e.text != null)
                || (e.type == EventType.ENTER && e.device != null);
    }

    @Override
    public void open(OpenContext openContext) {
        buckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "event-buckets",
                                        Types.LONG,
                                        TypeInformation.of(Bucket.class)));
        flood = getRuntimeContext().getState(incident("flood-incident"));
        sharedDevice = getRuntimeContext().getState(incident("device-incident"));
        live = getRuntimeContext().getState(new ValueStateDescriptor<>("rules-live", Types.STRING));
        deviceWindows = new HashMap<>();
    }

    private static ValueStateDescriptor<Incident> incident(String name) {
        return new ValueStateDescriptor<>(name, TypeInformation.of(Incident.class));
    }

    @Override
    public void processElement(EventRecord e, Context ctx, Collector<Alert> out) throws Exception {
        long start = Buckets.of(e.ts);
        Bucket b = buckets.get(start);
        if (b == null) {
            b = new Bucket();
            ctx.timerService().registerEventTimeTimer(start + Buckets.SIZE_MS);
        }
        if (e.type == EventType.COMMENT) {
            b.texts.merge(normalise(e.text), 1, Integer::sum);
            b.texts.merge(TOTAL, 1, Integer::sum);
        } else {
            b.deviceAccounts.add(e.device, e.user);
            DeviceWindow window = deviceWindows.get(ctx.getCurrentKey());
            if (window != null) { // a late entry may fall in a bucket the window holds
                window.heard(start, b.deviceAccounts, b.deviceAccounts.size() - 1);
            }
        }
        buckets.put(start, b);
        live.update(e.live);
    }

    /** At each bucket's end: both rules over their windows. */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        String room = ctx.getCurrentKey();
        DeviceWindow devices =
                deviceWindows.computeIfAbsent(
                        room, r -> new DeviceWindow(rules.sharedDeviceMinAccounts()));
        // before the old buckets are dropped: the window takes away what they added to it
        devices.moveTo(t - rules.sharedDeviceWindowMs(), t, this::deviceAccountsAt);
        Buckets.dropBefore(
                buckets, t - Math.max(rules.floodWindowMs(), rules.sharedDeviceWindowMs()));
        Incident.step(
                flood, floodBreach(t), t, room, live.value(), AlertKind.COMMENT_FLOOD, rules, out);
        Incident.step(
                sharedDevice,
                sharedDeviceBreach(devices),
                t,
                room,
                live.value(),
                AlertKind.SHARED_DEVICE,
                rules,
                out);
        boolean firing = Incident.firing(flood) || Incident.firing(sharedDevice);
        if (firing) {
            // keep judging while one fires, so that it can resolve when the events stop
            ctx.timerService().registerEventTimeTimer(t + Buckets.SIZE_MS);
        } else if (buckets.isEmpty()) {
            flood.clear(); // a quiet room keeps nothing (the cool-down ends with it)
            sharedDevice.clear();
            live.clear();
            deviceWindows.remove(room);
        }
    }

    private DeviceAccounts deviceAccountsAt(long bucketStart) throws Exception {
        Bucket b = buckets.get(bucketStart);
        return b == null ? null : b.deviceAccounts;
    }

    private Breach floodBreach(long t) throws Exception {
        Map<String, Integer> window = new HashMap<>();
        for (long b = t - rules.floodWindowMs(); b < t; b += Buckets.SIZE_MS) {
            Bucket bucket = buckets.get(b);
            if (bucket != null) {
                bucket.texts.forEach((text, n) -> window.merge(text, n, Integer::sum));
            }
        }
        long total = window.getOrDefault(TOTAL, 0);
        Map.Entry<String, Integer> top =
                window.entrySet().stream()
                        .filter(en -> !en.getKey().equals(TOTAL))
                        .max(Map.Entry.comparingByValue())
                        .orElse(null);
        if (top == null
                || top.getValue() < rules.floodMin()
                || top.getValue() < rules.floodShare() * total) {
            return null;
        }
        double share = (double) top.getValue() / total;
        return new Breach(
                Alert.WARNING,
                top.getValue(),
                rules.floodMin(),
                share,
                String.format(
                        Locale.ROOT,
                        "\"%s\" (letters only) %d times in %d s: %.0f%% of %d comments",
                        top.getKey(),
                        top.getValue(),
                        rules.floodWindowMs() / 1000,
                        share * 100,
                        total));
    }

    private Breach sharedDeviceBreach(DeviceWindow window) throws Exception {
        DeviceWindow.Crowded crowded = window.crowded(this::deviceAccountsAt);
        if (crowded == null) {
            return null;
        }
        return new Breach(
                Alert.WARNING,
                crowded.mostAccounts(),
                rules.sharedDeviceMinAccounts(),
                null,
                String.format(
                        Locale.ROOT,
                        "%d accounts entered from %d crowded device(s) (up to %d on device %s) within %d min",
                        crowded.accounts(),
                        crowded.devices(),
                        crowded.mostAccounts(),
                        crowded.busiestDevice(),
                        rules.sharedDeviceWindowMs() / 60_000));
    }

    /**
     * Letters only, in lower case: spaces, punctuation, digits and emoji do not make a text new. A
     * text without letters keeps its trimmed self.
     */
    static String normalise(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints()
                .filter(Character::isLetter)
                .map(Character::toLowerCase)
                .forEach(b::appendCodePoint);
        return b.isEmpty() ? "#" + text.strip() : b.toString();
    }
}
