package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.EventRecord;

/**
 * An event waiting for the watermark with its viewer's key ({@link ViewerSessions#key}), as stage 1
 * reads it back from a checkpoint.
 */
public record WaitingEvent(String key, EventRecord event) {}
