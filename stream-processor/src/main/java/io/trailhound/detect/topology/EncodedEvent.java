package io.trailhound.detect.topology;

import io.trailhound.avro.CloudTrailEvent;

/**
 * A normalized event with its serialized form (Confluent wire format, the events topic's schema id): the repartition topic
 * carries these bytes and the events sink writes them unchanged, so each event is serialized once.
 *
 * @param bytes the serialized event
 * @param event the event
 */
record EncodedEvent(byte[] bytes, CloudTrailEvent event) {
}
