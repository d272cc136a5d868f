package io.livepulse.simulator;

import io.livepulse.events.LiveEvent;
import io.livepulse.fans.FanProfile;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.DeliveryFaults;
import io.livepulse.simulator.generate.Generator;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger;
import io.livepulse.simulator.ledger.LedgerBuilder;
import java.util.List;
import java.util.function.IntConsumer;

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
        List<Delivery> deliveries = DeliveryFaults.deliver(generated.events(), options);
        Ledger ledger =
                LedgerBuilder.build(options, generated.events(), generated.profiles(), deliveries);
        return new Simulation(
                options,
                generated.rooms(),
                generated.profiles(),
                generated.events(),
                deliveries,
                ledger);
    }
}
