package io.livepulse.jobs.records;

/**
 * A viewer, one user in one room, as two 64-bit hashes of the pair: what the enrichment's cache and
 * stage 1's key know a viewer by instead of the strings. Two viewers are taken for one only if both
 * hashes collide: among a million viewers, about one chance in 2<sup>89</sup> (the birthday bound
 * on 128 bits). Not cryptographic: the ids are the platform's, not chosen to collide.
 *
 * <p>Stage 1's keys are in checkpoints since change 54: the arithmetic must not change ({@code
 * ViewerHashTest} pins it).
 *
 * @param first the pair's hash with FNV-1a's basis and prime
 * @param second the pair's hash with a second basis and multiplier
 */
public record ViewerHash(long first, long second) {
    private static final long FIRST_BASIS = 0xcbf29ce484222325L; // FNV-1a's constants
    private static final long FIRST_MULTIPLIER = 0x100000001b3L;
    private static final long SECOND_BASIS = 0x6a09e667f3bcc908L;
    private static final long SECOND_MULTIPLIER = 0x9e3779b97f4a7c15L;

    /** Parts the room from the user: no character has it, so ("ab", "c") is not ("a", "bc"). */
    private static final int ROOM_END = 0x10000;

    /**
     * Both hashes of the pair, character by character, then mixed (MurmurHash3's finalizer): one
     * pass over the strings for the two. Each event is hashed so three times (the enrichment's
     * cache, stage 1's key on either side of the exchange): 31 ns for both instead of 45 by hand
     * (docs/benchmarks.md, change 56). Callers read the two fields at once: the record is then
     * never made (the JIT replaces it by its fields).
     */
    public static ViewerHash of(String room, String user) {
        long h1 = FIRST_BASIS;
        long h2 = SECOND_BASIS;
        for (int i = 0; i < room.length(); i++) {
            char c = room.charAt(i);
            h1 = (h1 ^ c) * FIRST_MULTIPLIER;
            h2 = (h2 ^ c) * SECOND_MULTIPLIER;
        }
        h1 = (h1 ^ ROOM_END) * FIRST_MULTIPLIER;
        h2 = (h2 ^ ROOM_END) * SECOND_MULTIPLIER;
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            h1 = (h1 ^ c) * FIRST_MULTIPLIER;
            h2 = (h2 ^ c) * SECOND_MULTIPLIER;
        }
        return new ViewerHash(mix(h1), mix(h2));
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
