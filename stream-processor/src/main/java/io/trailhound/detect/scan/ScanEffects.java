package io.trailhound.detect.scan;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.avro.Alert;

/**
 * What one pipeline's steps on one record sent on ({@link ScanPipeline#step}), by step (0: the punctuators after the raw
 * record, 1: the record's own processing, 2: the punctuators after it): the alerts written to the alerts or signals topic and
 * the records for the incident stage, each in the order sent.
 */
final class ScanEffects {

    private final List<List<Alert>> written = List.of(new ArrayList<>(0), new ArrayList<>(0), new ArrayList<>(0));
    private final List<List<Record<String, Alert>>> toIncidents = List.of(new ArrayList<>(0), new ArrayList<>(0),
            new ArrayList<>(0));

    void write(int step, Alert alert) {
        written.get(step).add(alert);
    }

    void toIncidents(int step, Record<String, Alert> record) {
        toIncidents.get(step).add(record);
    }

    /** The alerts written in {@code step}. */
    List<Alert> written(int step) {
        return written.get(step);
    }

    /** The records sent to the incident stage in {@code step}. */
    List<Record<String, Alert>> toIncidents(int step) {
        return toIncidents.get(step);
    }
}
