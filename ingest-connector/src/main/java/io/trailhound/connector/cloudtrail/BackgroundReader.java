package io.trailhound.connector.cloudtrail;

import java.util.Optional;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

/** The log-file source's background reader (listing or notification driven) feeding the task's bounded queue. */
interface BackgroundReader extends Runnable {

    /** Asks the reader to end soon. */
    void stop();

    /** The reason the reader stopped on its own, if it did. */
    Optional<String> failure();

    /** Kafka acknowledged (metadata non-null) or gave up on one of the reader's records. */
    default void acknowledge(SourceRecord record, RecordMetadata metadata) {
        // Listing needs nothing: Connect's offsets record the progress.
    }
}
