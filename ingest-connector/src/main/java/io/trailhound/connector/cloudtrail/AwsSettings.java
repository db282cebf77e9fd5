package io.trailhound.connector.cloudtrail;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * How the log-file source builds its AWS clients (S3, and SQS for notifications): region, optional endpoint override,
 * optional static credentials, path-style S3 addressing.
 */
public record AwsSettings(String region, String endpoint, String sqsEndpoint, String accessKeyId, String secretAccessKey,
                          boolean pathStyle) {

    /** Builds an S3 client; without static credentials it uses the default provider chain (env, profile, IRSA, instance role). */
    public S3Client s3Client() {
        S3ClientBuilder builder = S3Client.builder()
            .forcePathStyle(pathStyle)
            // Trail buckets often live in a logging account's home region, not the worker's.
            .crossRegionAccessEnabled(true);
        builder.region(region.isBlank() ? defaultRegion() : Region.of(region.trim()));
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        builder.credentialsProvider(credentials());
        return builder.build();
    }

    /** Builds an SQS client with the same region and credentials (and its own endpoint override). */
    public SqsClient sqsClient() {
        SqsClientBuilder builder = SqsClient.builder()
            .region(region.isBlank() ? defaultRegion() : Region.of(region.trim()))
            .credentialsProvider(credentials());
        if (!sqsEndpoint.isBlank()) {
            builder.endpointOverride(URI.create(sqsEndpoint.trim()));
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (!accessKeyId.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.trim(), secretAccessKey));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1;
        }
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "AwsSettings[region=" + region + ", endpoint=" + endpoint + ", sqsEndpoint=" + sqsEndpoint
            + ", accessKeyId=" + accessKeyId + ", secretAccessKey=****"
            + ", pathStyle=" + pathStyle + "]";
    }
}
