package io.trailhound.connector.eventbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import io.trailhound.connector.cloudtrail.MalformedTrailFileException;

import org.junit.jupiter.api.Test;

class EventBridgeEnvelopeTest {

    @Test
    void shouldTakeTheDetailsExactBytes() throws Exception {
        String detail = "{ \"eventVersion\":\"1.08\", \"eventID\" : \"ev-1\",\"x\":[\"}\\\"\",{\"eventID\":\"inner\"}], \"n\":1.50 }";
        String body = "{\"version\":\"0\",\"id\":\"6a7e8feb\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\","
            + "\"account\":\"111122223333\",\"time\":\"2024-05-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
            + "\"detail\":" + detail + "}";

        EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(body.getBytes(StandardCharsets.UTF_8));

        assertEquals("AWS API Call via CloudTrail", envelope.detailType());
        assertArrayEquals(detail.getBytes(StandardCharsets.UTF_8), envelope.detail());
        assertEquals("ev-1", envelope.key());
    }

    @Test
    void shouldReadADetailWithoutEventId() throws Exception {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(
            "{\"detail-type\":\"Scheduled Event\",\"detail\":{}}".getBytes(StandardCharsets.UTF_8));

        assertNull(envelope.key());
        assertEquals("{}", new String(envelope.detail(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectMessagesThatAreNotEventBridgeEvents() {
        assertThrows(MalformedTrailFileException.class, () -> EventBridgeEnvelope.parse(
            "{\"Records\":[{\"s3\":{}}]}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedTrailFileException.class, () -> EventBridgeEnvelope.parse(
            "{\"detail-type\":\"x\",\"detail\":\"text\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedTrailFileException.class, () -> EventBridgeEnvelope.parse("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
