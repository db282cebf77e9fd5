package io.trailhound.topic;

/**
 * Header names every component writes on a {@code trailhound.deadletter} record, so one consumer can read them all: the
 * record's value (and key, when it has one) are the input as it came; the headers say why it was rejected and where it came from.
 */
public final class DeadLetters {

    /** Why the input was rejected, human-readable, e.g. {@code corrupt gzip: Unexpected end of ZLIB input stream}. */
    public static final String REASON = "reason";
    /** Where the input came from: a storage URI with key ({@code s3://bucket/key}), a queue URL with message id, or a topic. */
    public static final String LOCATION = "location";
    /** Which component rejected it: {@code connector}, {@code stream-processor} or {@code responder}. */
    public static final String COMPONENT = "component";
    /** Topic the record was read from, for components that consume Kafka (absent for the connector). */
    public static final String SOURCE_TOPIC = "source.topic";
    /** Partition and offset in {@link #SOURCE_TOPIC}, as {@code partition:offset}. */
    public static final String SOURCE_OFFSET = "source.offset";

    private DeadLetters() {
    }
}
