package io.livepulse.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code livepulse-simulator}: generate live-room events, load fan profiles, replay files. */
@Command(
        name = "livepulse-simulator",
        mixinStandardHelpOptions = true,
        version = "livepulse-simulator 0.1.0",
        description = {
            "Deterministic live-commerce event simulator with fan profiles and a ledger of the"
                    + " expected results.",
            "Run a subcommand with --help for its options."
        },
        subcommands = {GenerateCommand.class, LoadProfilesCommand.class, ReplayCommand.class})
public final class SimulatorCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code: 0 done, 1 failed, 2 bad usage. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SimulatorCli());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + e.getMessage());
                    return 1;
                });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
