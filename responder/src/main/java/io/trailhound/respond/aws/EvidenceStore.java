package io.trailhound.respond.aws;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.ForensicSettings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * Writes evidence objects ({@code s3://bucket/incident/instance/name}) to the evidence bucket, tagged with the incident and,
 * when a retention is configured, locked per object ({@code x-amz-object-lock-mode} and
 * {@code x-amz-object-lock-retain-until-date}); the bucket must have Object Lock enabled.
 */
public final class EvidenceStore {

    private final ForensicSettings settings;

    /** A store locking objects as {@code settings} say. */
    public EvidenceStore(ForensicSettings settings) {
        this.settings = settings;
    }

    /** A store with the default settings (365 days, COMPLIANCE). */
    public EvidenceStore() {
        this(ForensicSettings.defaults());
    }

    /** Whether the object already exists (evidence is captured once and never overwritten). */
    public boolean exists(S3Client s3, String s3Uri) {
        URI uri = URI.create(s3Uri);
        try {
            s3.headObject(r -> r.bucket(uri.getHost()).key(uri.getPath().substring(1)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Writes {@code content} and returns the S3 request id. */
    public String put(S3Client s3, String s3Uri, byte[] content, String incidentId) {
        URI uri = URI.create(s3Uri);
        return s3.putObject(r -> {
            r.bucket(uri.getHost()).key(uri.getPath().substring(1))
                .tagging(Tagging.builder().tagSet(Tag.builder().key(Ec2Compromise.INCIDENT_TAG).value(incidentId).build()).build());
            if (settings.evidenceRetentionDays() > 0) {
                r.objectLockMode(ObjectLockMode.fromValue(settings.objectLockMode()))
                    .objectLockRetainUntilDate(Instant.now().plus(Duration.ofDays(settings.evidenceRetentionDays())));
            }
        }, RequestBody.fromBytes(content)).responseMetadata().requestId();
    }
}
