package io.trailhound.connector.cloudtrail;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.trailhound.connector.AwsCall;

/**
 * Where trail log files live: {@code s3://bucket/prefix} or {@code file:///path} (a local copy of a trail bucket). The
 * prefix is empty or ends in '/', so keys below it read {@code AWSLogs/...}.
 */
public record TrailLocation(String uri, boolean s3, String bucket, String prefix, Path root) {

    /** Parses a location, failing with a message naming the expected forms. */
    public static TrailLocation parse(String location) {
        String text = location == null ? "" : location.trim();
        if (text.startsWith("s3://")) {
            String rest = text.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : normalizePrefix(rest.substring(slash + 1));
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("'" + text + "' does not name a valid S3 bucket (s3://bucket/prefix)");
            }
            return new TrailLocation("s3://" + bucket + "/" + prefix, true, bucket, prefix, null);
        }
        if (text.startsWith("file:")) {
            try {
                Path root = Paths.get(new URI(text)).normalize();
                return new TrailLocation(root.toUri().toString(), false, null, "", root);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid file URI (file:///path/to/trail-copy)", e);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is neither s3://bucket/prefix nor file:///path");
    }

    /** A human-readable address of one object, for logs and dead-letter headers. */
    public String describe(String key) {
        return s3 ? "s3://" + bucket + "/" + key : root.resolve(key).toUri().toString();
    }

    /** A listing below {@code prefix} ({@code ListObjectsV2} on S3), as the failure classifier names it. */
    public AwsCall listCall(String prefix) {
        return s3 ? AwsCall.s3("ListObjectsV2", bucket, prefix, CloudTrailS3SourceConfig.LOCATION_CONFIG)
            : AwsCall.localFile(true, describe(prefix), CloudTrailS3SourceConfig.LOCATION_CONFIG);
    }

    /** A read of object {@code key} ({@code GetObject}/{@code HeadObject} on S3), as the failure classifier names it. */
    public AwsCall readCall(String key) {
        return s3 ? AwsCall.s3("GetObject", bucket, key, CloudTrailS3SourceConfig.LOCATION_CONFIG)
            : AwsCall.localFile(false, describe(key), CloudTrailS3SourceConfig.LOCATION_CONFIG);
    }

    private static String normalizePrefix(String prefix) {
        String trimmed = prefix;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.isEmpty() || trimmed.endsWith("/")) {
            return trimmed;
        }
        return trimmed + "/";
    }
}
