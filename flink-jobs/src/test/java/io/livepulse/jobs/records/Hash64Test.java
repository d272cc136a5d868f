package io.livepulse.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Hash64Test {
    /**
     * Event ids' and gift combos' hashes are in checkpoints: these values, computed apart from this
     * code (FNV-1a 64 and SplitMix64's finalizer), must not change.
     */
    @Test
    void theHashesOfCheckpointedIdsStayWhatTheyWere() {
        assertThat(Hash64.of("evt-1")).isEqualTo(-5725705908519018305L);
        assertThat(Hash64.of("直播")).isEqualTo(-619966862424943884L);
    }
}
