package io.trailhound.demo.month;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One CloudTrail record of the month with where an organization trail delivers it.
 *
 * @param time    event time
 * @param account account folder of the trail (the record's recipientAccountId)
 * @param region  region folder (the record's awsRegion)
 * @param json    the record, exactly as CloudTrail writes it
 */
public record MonthEvent(Instant time, String account, String region, ObjectNode json) {

    /** The record's {@code eventName}. */
    public String eventName() {
        return json.path("eventName").asText();
    }
}
