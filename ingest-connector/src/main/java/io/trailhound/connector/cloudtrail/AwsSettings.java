package io.trailhound.connector.cloudtrail;

import java.net.URI;

import io.trailhound.connector.AwsCredentialsConfig;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * How the log-file source builds its AWS clients (S3, and SQS for notifications): region, optional endpoint overrides,
 * path-style S3 addressing, and the credentials settings ({@link AwsCredentialsConfig}: base chain or static key, optional
 * role), opened by the caller with {@link #region()} as the STS region.
 */
public record AwsSettings(String region, String endpoint, String sqsEndpoint, boolean pathStyle, AwsCredentialsConfig credentials) {

    /** The clients' region: aws.region, else the default region provider chain, else us-east-1. */
    public Region clientRegion() {
        return AwsCredentialsConfig.regionOr(region);
    }

    /** Builds an S3 client signing with {@code provider}. */
    public S3Client s3Client(AwsCredentialsProvider provider) {
        S3ClientBuilder builder = S3Client.builder()
            .forcePathStyle(pathStyle)
            // Trail buckets often live in a logging account's home region, not the worker's.
            .crossRegionAccessEnabled(true)
            .region(clientRegion())
            .credentialsProvider(provider);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.build();
    }

    /** Builds an SQS client with the same region and credentials (and its own endpoint override). */
    public SqsClient sqsClient(AwsCredentialsProvider provider) {
        SqsClientBuilder builder = SqsClient.builder().region(clientRegion()).credentialsProvider(provider);
        if (!sqsEndpoint.isBlank()) {
            builder.endpointOverride(URI.create(sqsEndpoint.trim()));
        }
        return builder.build();
    }
}
