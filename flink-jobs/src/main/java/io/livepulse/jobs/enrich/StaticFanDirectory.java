package io.livepulse.jobs.enrich;

import io.livepulse.fans.FanProfile;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An in-process directory built from a list of profiles: the embedded run's stand-in for Redis, and
 * the benchmark's "job without Redis".
 */
public final class StaticFanDirectory implements FanDirectory {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, FanProfile> profiles = new HashMap<>();

    public StaticFanDirectory(Collection<FanProfile> profiles) {
        for (FanProfile p : profiles) {
            this.profiles.put(p.redisKey(), p);
        }
    }

    @Override
    public Lookup open() {
        return inMemory(profiles);
    }

    /** A lookup answered from a map of profiles by Redis key (no key: a non-fan). */
    static Lookup inMemory(Map<String, FanProfile> profiles) {
        return new Lookup() {
            @Override
            public CompletableFuture<FanProfile> lookup(String room, String user) {
                return CompletableFuture.completedFuture(
                        profiles.get(FanProfile.redisKey(room, user)));
            }

            @Override
            public void close() {}
        };
    }
}
