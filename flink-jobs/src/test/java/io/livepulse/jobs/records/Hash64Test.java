package io.livepulse.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Hash64Test {
    static long ofChars(String s) {
        long h = Hash64.START;
        for (int i = 0; i < s.length(); i++) {
            h = Hash64.add(h, s.charAt(i));
        }
        return Hash64.finish(h);
    }

    /**
     * Event ids' hashes are in checkpoints: these values, computed apart from this code (FNV-1a 64
     * and SplitMix64's finalizer), must not change.
     */
    @Test
    void theHashesOfCheckpointedIdsStayWhatTheyWere() {
        assertThat(ofChars("evt-1")).isEqualTo(-5725705908519018305L);
        assertThat(ofChars("直播")).isEqualTo(-619966862424943884L);
    }
}
