package io.livepulse.simulator;

import io.livepulse.events.EventType;
import io.livepulse.events.LiveEvent;
import io.livepulse.fans.FanProfile;
import io.livepulse.simulator.generate.AnomalyInjector;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.DeliveryFaults;
import io.livepulse.simulator.generate.Generator;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger;
import io.livepulse.simulator.ledger.LedgerBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * One simulation: the generated events, the fan profiles, the delivered stream (with faults) and
 * the ledger computed from them.
 */
public record Simulation(
        SimulationOptions options,
        List<Generator.RoomPlan> rooms,
        List<FanProfile> profiles,
        List<LiveEvent> events,
        List<Delivery> deliveries,
        Ledger ledger) {

    public static Simulation run(SimulationOptions options) {
        return run(options, roomsDone -> {});
    }

    /** Runs the simulation; {@code roomsDone} hears how many rooms are generated so far. */
    public static Simulation run(SimulationOptions options, IntConsumer roomsDone) {
        Generator.Generated generated = Generator.generate(options, roomsDone);
        AnomalyInjector.Injected injected = AnomalyInjector.inject(generated.events(), options);
        List<LiveEvent> events = withoutLostLiveEnds(injected.events(), options.lostLiveEnds());
        List<Delivery> deliveries = DeliveryFaults.deliver(events, options);
        List<Ledger.Anomaly> anomalies = new ArrayList<>(injected.anomalies());
        anomalies.addAll(DeliveryFaults.deadLetterBursts(events, options));
        anomalies.sort(
                Comparator.comparingLong(Ledger.Anomaly::start)
                        .thenComparing(Ledger.Anomaly::room));
        Ledger ledger =
                LedgerBuilder.build(options, events, generated.profiles(), deliveries, anomalies);
        return new Simulation(
                options, generated.rooms(), generated.profiles(), events, deliveries, ledger);
    }

    /**
     * The events without the {@code live_end} of the {@code lost} broadcasts that end first: the
     * feed lost them, and neither the job nor the ledger will ever see them.
     */
    static List<LiveEvent> withoutLostLiveEnds(List<LiveEvent> events, int lost) {
        if (lost == 0) {
            return events;
        }
        Set<String> lostIds =
                events.stream()
                        .filter(e -> e.type() == EventType.LIVE_END)
                        .sorted(
                                Comparator.comparingLong(LiveEvent::ts)
                                        .thenComparing(LiveEvent::id))
                        .limit(lost)
                        .map(LiveEvent::id)
                        .collect(Collectors.toSet());
        return events.stream().filter(e -> !lostIds.contains(e.id())).toList();
    }
}
