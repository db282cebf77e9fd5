package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the object keys out of an S3 event notification delivered to SQS, directly or wrapped in an SNS notification.
 * Only the envelope is read here; the trail data itself is still forwarded byte for byte from the object.
 */
public final class S3Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Notifications() {
    }

    /** The keys of objects created in {@code bucket}; empty for test events and other buckets; fails on non-notifications. */
    public static List<String> createdKeys(String body, String bucket) throws MalformedTrailFileException {
        JsonNode root = parse(body);
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            root = parse(root.get("Message").asText());
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedTrailFileException("not an S3 event notification: no Records array");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode record : records) {
            JsonNode s3 = record.path("s3");
            if (record.path("eventName").asText().startsWith("ObjectCreated") && bucket.equals(s3.path("bucket").path("name").asText())) {
                // Notification keys are URL-encoded, with '+' for spaces.
                keys.add(URLDecoder.decode(s3.path("object").path("key").asText(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    private static JsonNode parse(String text) throws MalformedTrailFileException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new MalformedTrailFileException("not an S3 event notification: not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedTrailFileException("not an S3 event notification: " + e.getMessage(), e);
        }
    }
}
