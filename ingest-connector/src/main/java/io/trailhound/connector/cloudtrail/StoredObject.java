package io.trailhound.connector.cloudtrail;

import java.time.Instant;

/** One listed object of a trail store: its key, size in bytes and delivery time (S3 LastModified, or file mtime). */
public record StoredObject(String key, long size, Instant lastModified) {
}
