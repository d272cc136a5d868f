package io.livepulse.jobs.alert;

import io.livepulse.simulator.ledger.Ledger.Anomaly;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Fired alerts scored against the simulator's anomaly labels. An alert detects a label when room
 * and kind agree and it fired between a minute before the anomaly began and two minutes after it
 * ended; every other firing is a false alert. Delay = first detecting alert − the label's {@code
 * detectable_at}, in event time.
 */
record AlertScore(
        List<Anomaly> labels,
        List<Alert> fired,
        List<Anomaly> missed,
        List<Alert> falseAlerts,
        List<Long> delaysMs) {

    static final long BEFORE_MS = 60_000;
    static final long AFTER_MS = 120_000;

    static AlertScore of(List<Anomaly> labels, List<Alert> alerts) {
        List<Alert> fired =
                alerts.stream()
                        .filter(a -> a.state.equals(Alert.FIRING))
                        .sorted(Comparator.comparingLong((Alert a) -> a.ts))
                        .toList();
        List<Anomaly> missed = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (Anomaly l : labels) {
            Alert first = fired.stream().filter(a -> detects(a, l)).findFirst().orElse(null);
            if (first == null) {
                missed.add(l);
            } else {
                delays.add(first.ts - l.detectableAt());
            }
        }
        List<Alert> falseAlerts =
                fired.stream().filter(a -> labels.stream().noneMatch(l -> detects(a, l))).toList();
        delays.sort(null);
        return new AlertScore(labels, fired, missed, falseAlerts, delays);
    }

    static boolean detects(Alert a, Anomaly l) {
        return a.room.equals(l.room())
                && a.kind.wireName().equals(l.kind())
                && a.ts >= l.start() - BEFORE_MS
                && a.ts <= l.end() + AFTER_MS;
    }

    double recall() {
        return labels.isEmpty() ? 1 : 1 - (double) missed.size() / labels.size();
    }

    double precision() {
        return fired.isEmpty() ? 1 : 1 - (double) falseAlerts.size() / fired.size();
    }

    /** The nearest-rank percentile of the delays, in ms. */
    long delayPercentile(double p) {
        if (delaysMs.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * delaysMs.size());
        return delaysMs.get(Math.max(0, rank - 1));
    }

    String report() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "labels %d, alerts fired %d, detected %d, missed %d, false %d; recall %.3f, precision %.3f;"
                                + " delay p50 %.1f s, p95 %.1f s, max %.1f s%n",
                        labels.size(),
                        fired.size(),
                        labels.size() - missed.size(),
                        missed.size(),
                        falseAlerts.size(),
                        recall(),
                        precision(),
                        delayPercentile(50) / 1000.0,
                        delayPercentile(95) / 1000.0,
                        delayPercentile(100) / 1000.0));
        for (Anomaly l : labels) {
            fired.stream()
                    .filter(a -> detects(a, l))
                    .findFirst()
                    .ifPresent(
                            a ->
                                    b.append(
                                            String.format(
                                                    Locale.ROOT,
                                                    "  %-14s %s detected after %.1f s: %s%n",
                                                    l.kind(),
                                                    l.room(),
                                                    (a.ts - l.detectableAt()) / 1000.0,
                                                    a.evidence)));
        }
        for (Anomaly m : missed) {
            b.append("  missed: ").append(m).append('\n');
        }
        for (Alert f : falseAlerts) {
            b.append("  false: ").append(f).append('\n');
        }
        return b.toString();
    }
}
