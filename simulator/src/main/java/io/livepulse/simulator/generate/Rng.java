package io.livepulse.simulator.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator's one source of randomness: seeded, and split per room and broadcast so that the
 * output does not depend on the order in which rooms are generated.
 */
final class Rng {
    private final SplittableRandom random;

    Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A generator for one part of the simulation, derived from the seed and the part's ids. */
    static Rng forPart(long seed, long... ids) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (long id : ids) {
            h = Long.rotateLeft(h ^ (id * 0xC2B2AE3D27D4EB4FL), 31) * 0x165667B19E3779F9L;
        }
        return new Rng(h);
    }

    double nextDouble() {
        return random.nextDouble();
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** Uniform in [lo, hi). */
    long between(long lo, long hi) {
        return hi <= lo ? lo : random.nextLong(lo, hi);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Log-normal with the given mean and shape (sigma of the underlying normal). */
    double logNormal(double mean, double sigma) {
        double mu = Math.log(mean) - sigma * sigma / 2;
        return Math.exp(mu + sigma * gaussian());
    }

    /** Poisson by inversion; fine for the small means used here. */
    int poisson(double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        double cumulative = l;
        double term = l;
        while (p > cumulative && k < 10_000) {
            k++;
            term *= mean / k;
            cumulative += term;
        }
        return k;
    }

    private double gaussian() {
        // Box-Muller; one value per call keeps the stream simple and reproducible.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
