package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void theHugePagesModeIsTheBracketedWordOfTheKernelsSetting() {
        assertThat(Machine.hugePagesMode("always [madvise] never\n")).isEqualTo("madvise");
        assertThat(Machine.hugePagesMode("[always] madvise never")).isEqualTo("always");
        assertThat(Machine.hugePagesMode("")).as("no such setting").isEqualTo("?");
    }

    @Test
    void theXxOptionsOfACommandLineComeInTheirOrderAndNothingElse() {
        byte[] cmdline =
                String.join(
                                "\0",
                                "java",
                                "-Xmx4g",
                                "-XX:+UseTransparentHugePages",
                                "-Xlog:gc:file=/tmp/gc.log",
                                "-XX:-UseTransparentHugePages",
                                "-XX:MaxGCPauseMillis=50",
                                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                                "")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(Machine.xxOptions(cmdline))
                .containsExactly(
                        "-XX:+UseTransparentHugePages",
                        "-XX:-UseTransparentHugePages",
                        "-XX:MaxGCPauseMillis=50");
    }

    @Test
    void thisJvmsOwnOptionsAreReadFromProc() {
        long pid = ProcessHandle.current().pid();
        assertThat(Machine.jvmXxOptions(pid))
                .as("surefire's JVM, whatever its options: read, not an error")
                .noneMatch(o -> o.startsWith("?"));
    }
}
