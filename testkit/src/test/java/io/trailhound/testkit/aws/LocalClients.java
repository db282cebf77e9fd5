package io.trailhound.testkit.aws;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/** Points real AWS SDK v2 client builders at a local endpoint, the way connector and responder tests do. */
final class LocalClients {

    private LocalClients() {
    }

    /** Builds a client for {@code aws} in its region. */
    static <B extends AwsClientBuilder<B, C>, C> C build(B builder, AwsEndpointExtension aws) {
        return build(builder, aws, Region.of(aws.region()));
    }

    /** Builds a client for {@code aws} in {@code region} (IAM is global: {@link Region#AWS_GLOBAL}). */
    static <B extends AwsClientBuilder<B, C>, C> C build(B builder, AwsEndpointExtension aws, Region region) {
        return build(builder, aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey(), region);
    }

    /** Builds a client with static credentials against {@code endpoint}. */
    static <B extends AwsClientBuilder<B, C>, C> C build(B builder, URI endpoint, String accessKeyId, String secret, Region region) {
        return builder
            .endpointOverride(endpoint)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
            .region(region)
            .build();
    }
}
