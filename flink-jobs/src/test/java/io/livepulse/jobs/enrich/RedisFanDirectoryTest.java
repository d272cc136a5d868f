package io.livepulse.jobs.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.fans.Tier;
import io.livepulse.testkit.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis fan directory against a real Redis, frozen with SIGSTOP for the timeout cases. */
class RedisFanDirectoryTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    // long enough that a busy machine wakes Redis well inside the retry's own timeout
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    // Lettuce's own timeout, far beyond every wait in these tests
    static final Duration LONGEST_WAIT = Duration.ofSeconds(20);
    static final FanProfile FAN =
            new FanProfile("room-1", "user-1", Tier.TRUE_LOVE, 1_000L, true, 0.9, 2_000L);

    @BeforeAll
    static void profiles() {
        RedisFanStore.write(REDIS.uri(), List.of(FAN), n -> {});
    }

    @Test
    void answersTheProfileOrNoneForANonFan() throws Exception {
        try (FanDirectory.Lookup lookup = directory(1).open()) {
            assertThat(lookup.lookup("room-1", "user-1").get(10, TimeUnit.SECONDS)).isEqualTo(FAN);
            assertThat(lookup.lookup("room-1", "nobody").get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    /**
     * Redis frozen for 1.5 command timeouts: the first window is silent, which one retry allows,
     * and the answer comes once Redis wakes, as after a pause of the TaskManager itself. The
     * command is not sent again: Redis runs it once.
     */
    @Test
    void aLookupOutlastsAFreezeWithinItsRetriesAndIsSentOnce() throws Exception {
        try (FanDirectory.Lookup lookup = directory(1).open()) {
            long before = hgetallCalls();
            assertThat(lookupDuringAFreeze(lookup).get(30, TimeUnit.SECONDS)).isEqualTo(FAN);
            assertThat(hgetallCalls() - before)
                    .as("HGETALLs Redis ran: the warm-up lookup and the frozen one, each once")
                    .isEqualTo(2);
        }
    }

    @Test
    void withoutRetriesTheSameFreezeFailsTheLookup() throws Exception {
        try (FanDirectory.Lookup lookup = directory(0).open()) {
            CompletableFuture<FanProfile> answer = lookupDuringAFreeze(lookup);
            assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RedisCommandTimeoutException.class);
        }
    }

    /**
     * The same freeze with no retries, but the TaskManager stalled meanwhile (a watch whose beat is
     * overdue): the silence says nothing about Redis, so the window does not count and the lookup
     * waits for its answer.
     */
    @Test
    void aWindowWhileThisJvmStalledDoesNotCountEvenWithoutRetries() throws Exception {
        AtomicLong clock = new AtomicLong();
        StallWatch stalled = new StallWatch(clock::get);
        clock.addAndGet((StallWatch.STALL_MS + 1) * 1_000_000); // no beat since
        try (FanDirectory.Lookup lookup = directory(0).open(stalled)) {
            assertThat(lookupDuringAFreeze(lookup).get(30, TimeUnit.SECONDS)).isEqualTo(FAN);
        }
    }

    /**
     * Redis answering slowly, byte by byte: the lookup's windows pass while bytes still arrive on
     * the connection, so they say nothing against Redis; with no retries given the lookup waits,
     * and is answered once the bytes flow.
     */
    @Test
    void aWindowWhileRedisIsStillSendingDoesNotCountEvenWithoutRetries() throws Exception {
        Duration timeout = Duration.ofMillis(100);
        try (SlowProxy proxy = new SlowProxy(REDIS.uri());
                FanDirectory.Lookup lookup =
                        new RedisFanDirectory(proxy.uri(), timeout, 100, 0, LONGEST_WAIT).open()) {
            // connected and warm before the bytes slow down
            assertThat(lookup.lookup("room-1", "user-1").get(10, TimeUnit.SECONDS)).isEqualTo(FAN);
            proxy.slowFor(timeout.multipliedBy(4));
            long sent = System.nanoTime();
            FanProfile answer = lookup.lookup("room-1", "user-1").get(30, TimeUnit.SECONDS);
            assumeThat(Duration.ofNanos(System.nanoTime() - sent))
                    .as("the answer took longer than the timeout: the first try timed out")
                    .isGreaterThan(timeout);
            assertThat(answer).isEqualTo(FAN);
        }
    }

    /**
     * Answers handed over slowly, as a TaskManager restarted cold decodes a backlog of them: 30
     * answers arrive together (Redis, frozen while they were asked, answers them in one write) and
     * each takes 40 ms on Lettuce's thread (a callback sleeps), the lookup's own last. No bytes are
     * read while one read's answers are handed over, for whole windows of 200 ms windows, but every
     * window sees answers decoded, so none counts against it, and with no retries given it is
     * answered.
     */
    @Test
    void aWindowInWhichEarlierAnswersAreDecodedDoesNotCountEvenWithoutRetries() throws Exception {
        Duration timeout = Duration.ofMillis(200);
        try (FanDirectory.Lookup lookup =
                new RedisFanDirectory(REDIS.uri(), timeout, 100, 0, LONGEST_WAIT).open()) {
            // connected and warm first
            assertThat(lookup.lookup("room-1", "user-1").get(10, TimeUnit.SECONDS)).isEqualTo(FAN);
            CompletableFuture<FanProfile> answer;
            long sent;
            REDIS.pause();
            try {
                for (int i = 0; i < 30; i++) {
                    lookup.lookup("room-1", "user-1").thenRun(RedisFanDirectoryTest::decodeSlowly);
                }
                sent = System.nanoTime();
                answer = lookup.lookup("room-1", "user-1");
                Thread.sleep(30); // the commands reach Redis's socket; not a wait for a result
            } finally {
                REDIS.resume();
            }
            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(FAN);
            assumeThat(Duration.ofNanos(System.nanoTime() - sent))
                    .as("the answer came after several windows")
                    .isGreaterThan(timeout.multipliedBy(3));
        }
    }

    private static void decodeSlowly() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A task that opens while Redis does not answer (frozen for 1.5 handshake timeouts, as a cold
     * TaskManager on busy cores saw it after a restart): its first connection attempt times out,
     * and it tries again within its start-up wait instead of starting without a connection, so its
     * first lookup is answered.
     */
    @Test
    void aTaskOpenedWhileRedisDoesNotAnswerConnectsOnTheNextAttempt() throws Exception {
        REDIS.pause();
        CompletableFuture<FanDirectory.Lookup> opened;
        try {
            opened = CompletableFuture.supplyAsync(() -> directory(0).open());
            Thread.sleep(TIMEOUT.toMillis() * 3 / 2); // the freeze, not a wait for a result
        } finally {
            REDIS.resume();
        }
        try (FanDirectory.Lookup lookup = opened.get(30, TimeUnit.SECONDS)) {
            assertThat(lookup.lookup("room-1", "user-1").get(10, TimeUnit.SECONDS)).isEqualTo(FAN);
        }
    }

    /**
     * A TCP proxy in front of Redis that, when asked, passes Redis's bytes one at a time, one every
     * few milliseconds, for a while (the commands pass at once).
     */
    static final class SlowProxy implements AutoCloseable {
        private final ServerSocket server;
        private final URI redis;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile long slowUntil;

        SlowProxy(String redisUri) throws IOException {
            redis = URI.create(redisUri);
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "slow-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        String uri() {
            return "redis://127.0.0.1:" + server.getLocalPort();
        }

        void slowFor(Duration d) {
            slowUntil = System.nanoTime() + d.toNanos();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(redis.getHost(), redis.getPort());
                    sockets.add(client);
                    sockets.add(upstream);
                    pipe(client.getInputStream(), upstream.getOutputStream(), false);
                    pipe(upstream.getInputStream(), client.getOutputStream(), true);
                }
            } catch (IOException closed) {
                // the proxy was closed
            }
        }

        private void pipe(InputStream in, OutputStream out, boolean mayBeSlow) {
            Thread t =
                    new Thread(
                            () -> {
                                byte[] buf = new byte[64 * 1024];
                                try {
                                    for (int n; (n = in.read(buf)) >= 0; ) {
                                        for (int i = 0; i < n; ) {
                                            boolean slow =
                                                    mayBeSlow && System.nanoTime() - slowUntil < 0;
                                            int len = slow ? 1 : n - i;
                                            out.write(buf, i, len);
                                            out.flush();
                                            i += len;
                                            if (slow) {
                                                Thread.sleep(5);
                                            }
                                        }
                                    }
                                } catch (IOException | InterruptedException closed) {
                                    // a side closed
                                }
                            },
                            "slow-proxy-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** How many HGETALLs Redis has run (its command statistics). */
    static long hgetallCalls() {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Matcher m =
                    Pattern.compile("cmdstat_hgetall:calls=(\\d+)")
                            .matcher(c.sync().info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } finally {
            client.shutdown();
        }
    }

    static RedisFanDirectory directory(int retries) {
        return new RedisFanDirectory(REDIS.uri(), TIMEOUT, 100, retries, LONGEST_WAIT);
    }

    /** Looks up the fan while Redis is frozen, and wakes Redis 1.5 timeouts later. */
    static CompletableFuture<FanProfile> lookupDuringAFreeze(FanDirectory.Lookup lookup)
            throws Exception {
        // connected and warm before the freeze
        assertThat(lookup.lookup("room-1", "user-1").get(10, TimeUnit.SECONDS)).isEqualTo(FAN);
        REDIS.pause();
        try {
            CompletableFuture<FanProfile> answer = lookup.lookup("room-1", "user-1");
            Thread.sleep(TIMEOUT.toMillis() * 3 / 2); // the freeze, not a wait for a result
            return answer;
        } finally {
            REDIS.resume();
        }
    }
}
