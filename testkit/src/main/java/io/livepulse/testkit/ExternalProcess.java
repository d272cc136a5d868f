package io.livepulse.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A server binary run as a child process for a test: found on the PATH (with a message saying what
 * to install when it is not), its output kept in a log file, stopped and its temp dir removed
 * afterwards. Also pause/resume (SIGSTOP/SIGCONT) for fault tests.
 */
final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Path workDir;
    private final Path logFile;
    private Process process;

    private ExternalProcess(String name, Path workDir) {
        this.name = name;
        this.workDir = workDir;
        this.logFile = workDir.resolve(name + ".log");
    }

    /** Creates a fresh temp dir for a server called {@code name}. */
    static ExternalProcess prepare(String name) {
        try {
            return new ExternalProcess(name, Files.createTempDirectory("livepulse-" + name + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for " + name, e);
        }
    }

    Path workDir() {
        return workDir;
    }

    /**
     * Finds {@code binary} on the PATH or in /usr/sbin, /usr/bin; otherwise fails with the package
     * to install.
     */
    static Path findBinary(String binary, String debianPackage) {
        String path =
                System.getenv().getOrDefault("PATH", "")
                        + File.pathSeparator
                        + "/usr/sbin:/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                binary
                        + " is not installed (not on the PATH, not in /usr/sbin or /usr/bin). "
                        + "Run scripts/install-deps.sh, or install it yourself: apt-get install "
                        + debianPackage);
    }

    /** Starts the command and waits until {@code ready} is true or the process dies. */
    void start(List<String> command, BooleanSupplier ready, Duration timeout) {
        try {
            process =
                    new ProcessBuilder(command)
                            .directory(workDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with code "
                                + process.exitValue()
                                + " at start; its log:\n"
                                + logTail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        close();
        throw new IllegalStateException(
                name + " was not ready within " + timeout + "; its log:\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
    void pause() {
        signal("STOP");
    }

    /** Thaws a paused server (SIGCONT). */
    void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and deletes its temp dir. */
    @Override
    public void close() {
        if (process != null) {
            if (process.isAlive()) {
                resume(); // a paused process cannot handle SIGTERM
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        deleteRecursively(workDir);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
