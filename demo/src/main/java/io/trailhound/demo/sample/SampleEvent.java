package io.trailhound.demo.sample;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One CloudTrail record of the sample with where CloudTrail would deliver it: the account and region folder of the trail.
 *
 * @param time   event time
 * @param account account folder the record is delivered to (the recipient account)
 * @param region region folder
 * @param json   the CloudTrail record
 */
public record SampleEvent(Instant time, String account, String region, ObjectNode json) {

    /** The record's {@code eventName}. */
    public String eventName() {
        return json.path("eventName").asText();
    }

    /** The record's {@code eventID}. */
    public String eventId() {
        return json.path("eventID").asText();
    }
}
