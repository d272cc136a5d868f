package io.livepulse.jobs.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.simulator.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFanDirectoryTest {
    @TempDir Path dir;

    @Test
    void answersFromTheFileAndNullForNonFans() throws Exception {
        FanProfile fan = new FanProfile("room-1", "u1", Tier.TRUE_LOVE, 1_000L, true, 88.5, null);
        Path file = dir.resolve("profiles.jsonl");
        Files.write(file, List.of(Json.profileLine(fan), ""));

        try (FanDirectory.Lookup lookup = new FileFanDirectory(file.toString()).open()) {
            assertThat(lookup.lookup("room-1", "u1").get()).isEqualTo(fan);
            assertThat(lookup.lookup("room-1", "u2").get()).isNull();
            assertThat(lookup.lookup("room-2", "u1").get()).isNull();
        }
    }

    @Test
    void namesTheFileAndLineOfABadProfile() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.write(
                file,
                List.of(
                        Json.profileLine(
                                new FanProfile(
                                        "room-1", "u1", Tier.AFFINITY, 1L, false, 1.0, null)),
                        "{\"room\":\"room-1\",\"user\":\"u2\",\"tier\":\"gold\"}"));

        assertThatThrownBy(() -> new FileFanDirectory(file.toString()).open())
                .hasMessageContaining("bad.jsonl line 2");
        assertThatThrownBy(() -> new FileFanDirectory(dir.resolve("none").toString()).open())
                .hasMessageContaining("must exist on every TaskManager");
    }
}
