package io.livepulse.fans;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Loads fan profiles into Redis, each key replaced whole: the hash is written under a staging key
 * and renamed over the live key, so a reader sees the old profile or the new one, never a mix.
 * Commands are pipelined in batches.
 */
public final class RedisFanStore {
    private static final int BATCH = 1_000;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

    private RedisFanStore() {}

    /**
     * Writes every profile, each key replaced whole; {@code written} hears the running count after
     * each pipelined batch. A failure (or an exception from {@code written}) stops the load: the
     * keys written so far hold the new profiles, the others the old ones, each whole.
     */
    public static void write(String redisUri, List<FanProfile> profiles, LongConsumer written) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> pending = new ArrayList<>(BATCH * 2);
            long done = 0;
            for (FanProfile p : profiles) {
                String key = p.redisKey();
                String staging = key + ":loading";
                pending.add(redis.del(staging));
                pending.add(redis.hset(staging, p.toHash()));
                pending.add(redis.rename(staging, key));
                done++;
                if (pending.size() >= BATCH * 3) {
                    flush(connection, pending);
                    written.accept(done);
                }
            }
            flush(connection, pending);
            written.accept(done);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Reads the current profiles of the given (room, user) pairs, pipelined; pairs without a key
     * (non-fans) or with a malformed hash are absent from the result.
     */
    public static Map<String, FanProfile> read(String redisUri, List<String[]> roomUserPairs) {
        Map<String, FanProfile> found = new HashMap<>();
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            for (int from = 0; from < roomUserPairs.size(); from += BATCH) {
                List<String[]> batch =
                        roomUserPairs.subList(from, Math.min(roomUserPairs.size(), from + BATCH));
                List<RedisFuture<Map<String, String>>> replies = new ArrayList<>(batch.size());
                for (String[] pair : batch) {
                    replies.add(redis.hgetall(FanProfile.redisKey(pair[0], pair[1])));
                }
                flush(connection, new ArrayList<>(replies));
                for (int i = 0; i < batch.size(); i++) {
                    Map<String, String> hash = replies.get(i).toCompletableFuture().join();
                    if (hash != null && !hash.isEmpty()) {
                        try {
                            FanProfile p =
                                    FanProfile.fromHash(batch.get(i)[0], batch.get(i)[1], hash);
                            found.put(p.redisKey(), p);
                        } catch (IllegalArgumentException e) {
                            // a malformed hash counts as absent: the new profile replaces it
                        }
                    }
                }
            }
        } finally {
            client.shutdown();
        }
        return found;
    }

    /** Every whole profile in Redis (SCAN of fan:*), by key; staging keys are not profiles. */
    public static Map<String, FanProfile> readAll(String redisUri) {
        List<String[]> pairs = new ArrayList<>();
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanIterator.scan(
                            connection.sync(),
                            ScanArgs.Builder.matches(FanProfile.KEY_PREFIX + "*").limit(BATCH))
                    .forEachRemaining(
                            key -> {
                                String[] parts = key.split(":");
                                if (parts.length == 3) {
                                    pairs.add(new String[] {parts[1], parts[2]});
                                }
                            });
        } finally {
            client.shutdown();
        }
        return read(redisUri, pairs);
    }

    private static void flush(
            StatefulRedisConnection<String, String> connection, List<RedisFuture<?>> pending) {
        connection.flushCommands();
        boolean done =
                LettuceFutures.awaitAll(BATCH_TIMEOUT, pending.toArray(new RedisFuture<?>[0]));
        if (!done) {
            throw new IllegalStateException("Redis did not answer a batch within " + BATCH_TIMEOUT);
        }
        for (RedisFuture<?> f : pending) {
            if (f.getError() != null) {
                throw new IllegalStateException("Redis rejected a profile write: " + f.getError());
            }
        }
        pending.clear();
    }
}
