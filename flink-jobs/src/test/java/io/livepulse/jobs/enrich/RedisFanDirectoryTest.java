package io.livepulse.jobs.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lettuce.core.RedisCommandTimeoutException;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis fan directory against a real Redis, frozen with SIGSTOP for the timeout cases. */
class RedisFanDirectoryTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    // long enough that a busy machine wakes Redis well inside the retry's own timeout
    static final Duration TIMEOUT = Duration.ofSeconds(2);
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
     * Redis frozen for 1.5 command timeouts: the first try times out, the retry is answered once
     * Redis wakes, as after a pause of the TaskManager itself.
     */
    @Test
    void aTimedOutLookupIsAnsweredByTheRetry() throws Exception {
        try (FanDirectory.Lookup lookup = directory(1).open()) {
            assertThat(lookupDuringAFreeze(lookup).get(30, TimeUnit.SECONDS)).isEqualTo(FAN);
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
     * overdue): the timeout says nothing about Redis, so it is excused and the lookup is sent
     * again.
     */
    @Test
    void aTimeoutWhileThisJvmStalledIsRetriedEvenWithoutRetries() throws Exception {
        AtomicLong clock = new AtomicLong();
        StallWatch stalled = new StallWatch(clock::get);
        clock.addAndGet((StallWatch.STALL_MS + 1) * 1_000_000); // no beat since
        try (FanDirectory.Lookup lookup = directory(0).open(stalled)) {
            assertThat(lookupDuringAFreeze(lookup).get(30, TimeUnit.SECONDS)).isEqualTo(FAN);
        }
    }

    /**
     * Redis answering slowly, byte by byte, as a TaskManager restarted cold decodes a backlog of
     * answers: the lookup's timeout fires while bytes still arrive on the connection, so it says
     * nothing about Redis; the lookup is sent again, with no retries given, and answered once the
     * bytes flow.
     */
    @Test
    void aTimeoutWhileRedisIsStillSendingIsRetriedEvenWithoutRetries() throws Exception {
        Duration timeout = Duration.ofMillis(100);
        try (SlowProxy proxy = new SlowProxy(REDIS.uri());
                FanDirectory.Lookup lookup =
                        new RedisFanDirectory(proxy.uri(), timeout, 100, 0).open()) {
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

    static RedisFanDirectory directory(int retries) {
        return new RedisFanDirectory(REDIS.uri(), TIMEOUT, 100, retries);
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
