package io.livepulse.jobs.records;

/**
 * A viewer, one user in one room, as two 64-bit hashes of the pair: what the enrichment's cache and
 * stage 1's key know a viewer by instead of the strings. Two viewers are taken for one only if both
 * hashes collide: among a million viewers, about one chance in 2<sup>89</sup> (the birthday bound
 * on 128 bits). Not cryptographic: the ids are the platform's, not chosen to collide.
 *
 * <p>Stage 1's keys are in checkpoints since change 54: the arithmetic must not change.
 */
public final class ViewerHash {
    private ViewerHash() {}

    public static long first(String room, String user) {
        return hash(room, user, 0xcbf29ce484222325L, 0x100000001b3L); // FNV-1a's constants
    }

    public static long second(String room, String user) {
        return hash(room, user, 0x6a09e667f3bcc908L, 0x9e3779b97f4a7c15L);
    }

    /**
     * A 64-bit hash of the pair, character by character, then mixed (MurmurHash3's finalizer). The
     * room and the user are parted by a value no character has, so ("ab", "c") is not ("a", "bc").
     */
    private static long hash(String room, String user, long basis, long multiplier) {
        long h = basis;
        for (int i = 0; i < room.length(); i++) {
            h = (h ^ room.charAt(i)) * multiplier;
        }
        h = (h ^ 0x10000) * multiplier;
        for (int i = 0; i < user.length(); i++) {
            h = (h ^ user.charAt(i)) * multiplier;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
