package io.livepulse.jobs.alert;

/** A rule holding at one instant: what it measured, against what, and why. */
public record Breach(
        String severity, double value, double threshold, Double baseline, String evidence) {}
