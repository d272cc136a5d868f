package io.livepulse.jobs.recap.report;

import io.livepulse.jobs.sink.RecapPoints;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recap}: one broadcast's recap from InfluxDB as HTML, Markdown and CSV (docs/recap.md). */
@Command(
        name = "recap",
        mixinStandardHelpOptions = true,
        description =
                "Renders one broadcast's post-stream recap from InfluxDB as a self-contained HTML report, Markdown and CSV; --list shows the broadcasts that have one.")
public final class RecapCli implements Callable<Integer> {
    @Option(
            names = "--influx-url",
            defaultValue = "http://127.0.0.1:8086",
            description = "InfluxDB 1.x (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--influx-user", description = "user, if authentication is on")
    String user;

    @Option(
            names = "--influx-password",
            description = "password (default: $LIVEPULSE_INFLUX_PASSWORD)")
    String password;

    @Option(
            names = "--database",
            defaultValue = "livepulse",
            description = "the job's database (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--live", description = "the broadcast, e.g. room-001-live-2")
    String live;

    @Option(names = "--list", description = "list the broadcasts that have a recap, newest last")
    boolean list;

    @Option(
            names = "--out",
            defaultValue = "recaps",
            description =
                    "directory for <live>.html, <live>.md and <live>.csv (default: ${DEFAULT-VALUE})")
    Path out;

    PrintStream stdout = System.out;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new RecapCli());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + e.getMessage());
                    return 1;
                });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (!list && live == null) {
            throw new IllegalArgumentException("give --live BROADCAST, or --list to see them");
        }
        String pw = password != null ? password : System.getenv("LIVEPULSE_INFLUX_PASSWORD");
        try (InfluxDB influx =
                user == null
                        ? InfluxDBFactory.connect(url)
                        : InfluxDBFactory.connect(url, user, pw)) {
            if (list) {
                for (Map<String, Object> row :
                        InfluxRows.query(
                                influx,
                                database,
                                "SELECT \"end\", uv, gmv_cents FROM "
                                        + RecapPoints.RECAP_MEASUREMENT
                                        + " GROUP BY room, live")) {
                    stdout.printf(
                            "%s  %s  ended %s%n",
                            row.get("room"),
                            row.get("live"),
                            RecapSections.when(RecapReport.number(row, "end")));
                }
                return 0;
            }
            RecapReport report = RecapReport.read(influx, database, live);
            Files.createDirectories(out);
            Path html = write(out.resolve(live + ".html"), RecapRenderer.html(report));
            Path md = write(out.resolve(live + ".md"), RecapRenderer.markdown(report));
            Path csv = write(out.resolve(live + ".csv"), RecapRenderer.csv(report));
            stdout.printf(
                    "recap of %s (room %s): %s, %s, %s%n", live, report.room(), html, md, csv);
            return 0;
        }
    }

    private static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
