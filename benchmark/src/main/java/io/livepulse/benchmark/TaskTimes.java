package io.livepulse.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepulse.testkit.NativeStack;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each task of a running job spends its time, from Flink's own accounting: every subtask's
 * mailbox thread is either busy (processing records, timers or checkpoints), back-pressured
 * (waiting for an output buffer a slower task downstream has not freed) or idle (waiting for
 * input). Flink keeps the three as running totals per subtask ({@code accumulateBusyTimeMs}, {@code
 * accumulateBackPressuredTimeMs}, {@code accumulateIdleTimeMs}, ms); two readings give each task's
 * shares between them. The task that is busy while the tasks before it are back-pressured is the
 * one that limits the job; a job whose tasks are all mostly idle waits on something outside them.
 */
final class TaskTimes {
    private static final String[] METRICS = {
        "accumulateBusyTimeMs", "accumulateBackPressuredTimeMs", "accumulateIdleTimeMs"
    };

    /** Each task's subtasks' running totals (busy, back-pressured, idle ms), by task name. */
    record Reading(Map<String, double[][]> byTask) {
        static final Reading NONE = new Reading(Map.of());
    }

    /**
     * A task's shares of its time between two readings, averaged over its subtasks, and the busiest
     * subtask's busy share (a hot key keeps one subtask busy while the others idle).
     */
    record Shares(
            int parallelism, double busy, double backPressured, double idle, double hottest) {}

    private TaskTimes() {}

    /** Every task's totals now; a task Flink has not reported yet is left out. */
    static Reading read(NativeStack stack, String job) throws Exception {
        Map<String, double[][]> byTask = new LinkedHashMap<>();
        for (JsonNode vertex : stack.json("/jobs/" + job).path("vertices")) {
            String base = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
            int parallelism = vertex.path("parallelism").asInt();
            double[][] subtasks = new double[parallelism][];
            for (int i = 0; i < parallelism; i++) {
                subtasks[i] =
                        totals(
                                stack.json(
                                        base
                                                + "/subtasks/"
                                                + i
                                                + "/metrics?get="
                                                + String.join(",", METRICS)));
                if (subtasks[i] == null) {
                    subtasks = null;
                    break;
                }
            }
            if (subtasks != null) {
                byTask.put(vertex.path("name").asText(), subtasks);
            }
        }
        return new Reading(byTask);
    }

    /** busy, back-pressured, idle ms from a metrics answer; null if one of them is missing. */
    static double[] totals(JsonNode metrics) {
        double[] t = {-1, -1, -1};
        for (JsonNode m : metrics) {
            for (int k = 0; k < METRICS.length; k++) {
                if (METRICS[k].equals(m.path("id").asText())) {
                    t[k] = m.path("value").asDouble();
                }
            }
        }
        return t[0] < 0 || t[1] < 0 || t[2] < 0 ? null : t;
    }

    /** Each task's shares between two readings (tasks in both, with time passed in both). */
    static Map<String, Shares> between(Reading before, Reading after) {
        Map<String, Shares> shares = new LinkedHashMap<>();
        after.byTask()
                .forEach(
                        (task, now) -> {
                            double[][] then = before.byTask().get(task);
                            if (then == null || then.length != now.length) {
                                return;
                            }
                            double[] sum = new double[3];
                            double hottest = 0;
                            for (int i = 0; i < now.length; i++) {
                                double[] d = new double[3];
                                for (int k = 0; k < 3; k++) {
                                    d[k] = Math.max(0, now[i][k] - then[i][k]);
                                    sum[k] += d[k];
                                }
                                double all = d[0] + d[1] + d[2];
                                hottest = Math.max(hottest, all == 0 ? 0 : d[0] / all);
                            }
                            double all = sum[0] + sum[1] + sum[2];
                            if (all > 0) {
                                shares.put(
                                        task,
                                        new Shares(
                                                now.length,
                                                sum[0] / all,
                                                sum[1] / all,
                                                sum[2] / all,
                                                hottest));
                            }
                        });
        return shares;
    }
}
