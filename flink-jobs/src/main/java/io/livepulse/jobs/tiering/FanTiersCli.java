package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fan-tiers}: score fans from history into Redis, or load a CRM export. */
@Command(
        name = "fan-tiers",
        mixinStandardHelpOptions = true,
        description =
                "Fan tiers in Redis (fan:<room>:<user>): score them from event history, or load a CSV export.",
        subcommands = {FanTiersCli.Score.class, FanTiersCli.LoadCsv.class})
public final class FanTiersCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new FanTiersCli());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Throwable root = e;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    commandLine
                            .getErr()
                            .println(
                                    "error: "
                                            + e.getMessage()
                                            + (root == e ? "" : " (cause: " + root + ")"));
                    return 1;
                });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required: score or load-csv");
    }

    @Command(
            name = "score",
            mixinStandardHelpOptions = true,
            description =
                    "Scores every follower from JSON Lines history with a Flink batch job and writes the profiles to Redis, each key replaced whole.")
    static final class Score implements Callable<Integer> {
        @Option(
                names = "--input",
                required = true,
                split = ",",
                description = "JSON Lines files or directories of past events (comma-separated)")
        List<String> inputs;

        @Option(
                names = "--redis",
                required = true,
                description = "Redis URI, e.g. redis://127.0.0.1:6379")
        String redis;

        @Option(
                names = "--as-of",
                defaultValue = "now",
                description =
                        "the instant ages are measured from, ISO-8601 or 'now' (default: ${DEFAULT-VALUE})")
        String asOf;

        @Option(
                names = "--half-life-days",
                defaultValue = "30",
                description = "an act this old counts half (default: ${DEFAULT-VALUE})")
        double halfLifeDays;

        @Option(
                names = "--watch-per-minute",
                defaultValue = "0.2",
                description = "points per minute watched (default: ${DEFAULT-VALUE})")
        double watchPerMinute;

        @Option(
                names = "--per-interaction",
                defaultValue = "0.5",
                description = "points per comment, like, share or gift (default: ${DEFAULT-VALUE})")
        double perInteraction;

        @Option(
                names = "--per-gift-yuan",
                defaultValue = "0.05",
                description = "points per yuan of gifts (default: ${DEFAULT-VALUE})")
        double perGiftYuan;

        @Option(
                names = "--per-purchase",
                defaultValue = "8",
                description = "points per paid order (default: ${DEFAULT-VALUE})")
        double perPurchase;

        @Option(
                names = "--per-spend-yuan",
                defaultValue = "0.02",
                description = "points per yuan paid (default: ${DEFAULT-VALUE})")
        double perSpendYuan;

        @Option(
                names = "--fan-club-bonus",
                defaultValue = "10",
                description = "points for fan-club membership (default: ${DEFAULT-VALUE})")
        double fanClubBonus;

        @Option(
                names = "--scale",
                defaultValue = "40",
                description = "raw score at which intimacy reaches 63 (default: ${DEFAULT-VALUE})")
        double scale;

        @Option(
                names = "--true-love-min",
                defaultValue = "70",
                description = "intimacy from which a fan is true-love (default: ${DEFAULT-VALUE})")
        double trueLoveMin;

        @Option(
                names = "--affinity-min",
                defaultValue = "40",
                description = "intimacy from which a fan is affinity (default: ${DEFAULT-VALUE})")
        double affinityMin;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            IntimacyModel model =
                    new IntimacyModel(
                            halfLifeDays,
                            watchPerMinute,
                            perInteraction,
                            perGiftYuan,
                            perPurchase,
                            perSpendYuan,
                            fanClubBonus,
                            scale,
                            trueLoveMin,
                            affinityMin);
            long at =
                    asOf.equals("now")
                            ? System.currentTimeMillis()
                            : Instant.parse(asOf).toEpochMilli();
            System.err.printf("scoring %s as of %s%n", inputs, Instant.ofEpochMilli(at));
            Map<String, FanProfile> before = RedisFanStore.readAll(redis);
            FanTieringJob.run(
                    StreamExecutionEnvironment.getExecutionEnvironment(), inputs, model, at, redis);
            Map<String, FanProfile> after = RedisFanStore.readAll(redis);
            out.print(TieringReport.of(after.values(), before).render());
            return 0;
        }
    }

    @Command(
            name = "load-csv",
            mixinStandardHelpOptions = true,
            description =
                    "Loads a CRM or platform export of fans (CSV with a header: room,user,tier,followed_at,fan_club,intimacy,last_purchase_at). Every row is checked first: one bad row and nothing is loaded.")
    static final class LoadCsv implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "the CSV file")
        Path file;

        @Option(
                names = "--redis",
                required = true,
                description = "Redis URI, e.g. redis://127.0.0.1:6379")
        String redis;

        @Override
        public Integer call() throws Exception {
            FanCsv.Parsed parsed = FanCsv.parse(file);
            if (!parsed.errors().isEmpty()) {
                parsed.errors().stream().limit(50).forEach(System.err::println);
                System.err.printf(
                        "error: %d bad row(s) in %s; nothing was loaded. Fix them and run again.%n",
                        parsed.errors().size(), file);
                return 1;
            }
            RedisFanStore.write(
                    redis,
                    parsed.profiles(),
                    n -> System.err.printf("  profiles loaded: %,d%n", n));
            System.err.printf("loaded %,d profiles from %s%n", parsed.profiles().size(), file);
            return 0;
        }
    }
}
