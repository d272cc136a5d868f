package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {
    /** The head and tail of a real {@code jcmd <pid> GC.class_histogram} (JDK 17). */
    private static final String OUTPUT =
            String.join(
                    "\n",
                    "3112:",
                    " num     #instances         #bytes  class name (module)",
                    "-------------------------------------------------------",
                    "   1:         13054         794848  [B (java.base@17.0.15)",
                    "   2:          3002         360856  java.lang.Class (java.base@17.0.15)",
                    "   3:         12894         309456  java.lang.String (java.base@17.0.15)",
                    "   4:          1940         170408  [Ljava.lang.Object; (java.base@17.0.15)",
                    "   5:             1         131088  [Lcom.sun.tools.javac.util.SharedNameTable$NameImpl; (jdk.compiler@17.0.15)",
                    "   6:         20000         960000  io.livepulse.jobs.viewer.ViewerState",
                    " 699:             1             16  sun.nio.fs.UnixFileAttributes$UnixAsBasicFileAttributes (java.base@17.0.15)",
                    "Total         59052        2819696");

    @Test
    void theLargestClassesComeFirstWithTheirInstancesAndBytes() {
        List<HeapHistogram.Entry> top = HeapHistogram.parse(OUTPUT, 3);
        assertThat(top)
                .containsExactly(
                        new HeapHistogram.Entry(
                                "io.livepulse.jobs.viewer.ViewerState", 20_000, 960_000),
                        new HeapHistogram.Entry("[B", 13_054, 794_848),
                        new HeapHistogram.Entry("java.lang.Class", 3_002, 360_856));
        assertThat(HeapHistogram.parse(OUTPUT, 100))
                .as("every class line, not the header or the total")
                .hasSize(7)
                .extracting(HeapHistogram.Entry::className)
                .contains("[Lcom.sun.tools.javac.util.SharedNameTable$NameImpl;");
    }

    @Test
    void theTotalIsEveryLiveObjectsBytesOrMinusOneWithoutATotalLine() {
        assertThat(HeapHistogram.totalBytes(OUTPUT)).isEqualTo(2_819_696);
        assertThat(HeapHistogram.totalBytes("3112:\nCould not attach")).isEqualTo(-1);
    }

    @Test
    void outputWithoutAClassLineIsAnErrorThatShowsIt() {
        assertThatThrownBy(() -> HeapHistogram.parse("3112:\nCould not attach", 5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no class line")
                .hasMessageContaining("Could not attach");
    }
}
