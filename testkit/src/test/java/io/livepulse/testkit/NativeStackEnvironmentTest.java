package io.livepulse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading a variable of a started process's environment (the stack's real read is in e2e). */
class NativeStackEnvironmentTest {
    @Test
    void aVariableOfAnEnvironmentIsItsWholeValueAndUnsetWhenAbsent() {
        byte[] environ =
                String.join("\0", "PATH=/usr/bin:/bin", "MAXPROCS=9", "GOMAXPROCS=1", "X=a=b", "")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(NativeStack.variable(environ, "GOMAXPROCS")).isEqualTo("1");
        assertThat(NativeStack.variable(environ, "X")).as("an = in the value").isEqualTo("a=b");
        assertThat(NativeStack.variable(environ, "PROCS")).isEqualTo("unset");
        assertThat(NativeStack.variable(new byte[0], "GOMAXPROCS")).isEqualTo("unset");
    }
}
