package io.trailhound.respond.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds and caches the AWS clients per account and region: credentials from STS AssumeRole into the configured role in
 * the alert's account (or the base credentials), one shared URL-connection HTTP client, and a retry strategy that retries
 * throttling and 5xx errors with jittered exponential backoff.
 */
public final class AwsClientFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AwsClientFactory.class);
    private static final String SESSION_NAME = "trailhound-responder";

    private final AwsSettings settings;
    private final AwsCallTimer timer;
    private final AwsCredentialsProvider baseCredentials;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build();
    private final Map<String, AwsClients> clients = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final S3Client evidence;
    private final Map<String, SnsClient> notifiers = new ConcurrentHashMap<>();

    public AwsClientFactory(AwsSettings settings, AwsCredentialsProvider baseCredentials) {
        this(settings, baseCredentials, (service, operation, status, took) -> { });
    }

    /** Like {@link #AwsClientFactory(AwsSettings, AwsCredentialsProvider)}, telling {@code calls} about every AWS call attempt. */
    public AwsClientFactory(AwsSettings settings, AwsCredentialsProvider baseCredentials, AwsCallListener calls) {
        this.timer = new AwsCallTimer(calls::called);
        this.settings = settings;
        this.baseCredentials = baseCredentials;
        S3ClientBuilder s3 = configure(S3Client.builder(), baseCredentials, Region.of(settings.evidenceRegion()));
        settings.evidenceEndpoint().or(settings::endpoint).ifPresent(uri -> s3.endpointOverride(uri).forcePathStyle(true));
        this.evidence = s3.build();
        closeables.add(evidence);
    }

    /** The clients for {@code accountId} and {@code region}, built on first use. */
    public AwsClients clientsFor(String accountId, String region) {
        return clients.computeIfAbsent(accountId + "/" + region, key -> build(accountId, region));
    }

    private synchronized AwsClients build(String accountId, String region) {
        AwsCredentialsProvider credentials = baseCredentials;
        if (settings.assumeRole()) {
            String roleArn = "arn:" + settings.partition() + ":iam::" + accountId + ":role/" + settings.roleName();
            StsClient sts = configure(StsClient.builder(), baseCredentials, Region.of(region)).build();
            StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME).durationSeconds(900)
                    .externalId(settings.externalId().orElse(null))).build();
            closeables.add(assumed);
            closeables.add(sts);
            credentials = assumed;
            LOG.info("responder acts in account {} region {} as {}", accountId, region, roleArn);
        }
        Ec2Client ec2 = configure(Ec2Client.builder(), credentials, Region.of(region)).build();
        IamClient iam = configure(IamClient.builder(), credentials, Region.AWS_GLOBAL).build();
        S3ClientBuilder s3Builder = configure(S3Client.builder(), credentials, Region.of(region));
        settings.endpoint().ifPresent(uri -> s3Builder.forcePathStyle(true));
        S3Client s3 = s3Builder.build();
        AutoScalingClient autoScaling = configure(AutoScalingClient.builder(), credentials, Region.of(region)).build();
        ElasticLoadBalancingV2Client elb = configure(ElasticLoadBalancingV2Client.builder(), credentials, Region.of(region)).build();
        SsmClient ssm = configure(SsmClient.builder(), credentials, Region.of(region)).build();
        closeables.addAll(List.of(ec2, iam, s3, autoScaling, elb, ssm));
        return new AwsClients(ec2, iam, evidence, s3, autoScaling, elb, ssm, notifier(region));
    }

    /**
     * SNS with the responder's own credentials (the notification topic lives in the security account) in {@code region};
     * the publish step names its topic ARN, whose region is used when it differs.
     */
    public SnsClient notifier(String region) {
        return notifiers.computeIfAbsent(region, r -> {
            SnsClient sns = configure(SnsClient.builder(), baseCredentials, Region.of(r)).build();
            synchronized (this) {
                closeables.add(sns);
            }
            return sns;
        });
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider credentials,
                                                                                       Region region) {
        builder.credentialsProvider(credentials).region(region);
        Optional<URI> endpoint = settings.endpoint();
        endpoint.ifPresent(builder::endpointOverride);
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(settings.retryBaseDelay(), Duration.ofSeconds(20));
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .circuitBreakerEnabled(false)
                .build())
            .addExecutionInterceptor(timer)
            .build());
        builder.httpClient(http);
        return builder;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing an AWS client failed: {}", e.toString());
            }
        }
        http.close();
    }

    /** Receives every AWS call attempt: service, operation, HTTP status and how long it took. */
    @FunctionalInterface
    public interface AwsCallListener {

        /** {@code service} {@code operation} answered {@code httpStatus} after {@code took}. */
        void called(String service, String operation, int httpStatus, Duration took);
    }

    /**
     * How the clients are built.
     *
     * @param endpoint        endpoint override for every client (a local emulator); empty for AWS
     * @param maxAttempts     attempts per call, retries included
     * @param retryBaseDelay  base delay of the exponential backoff
     * @param assumeRole      whether to assume {@code roleName} in the target account
     * @param roleName        role assumed in each account
     * @param partition       ARN partition of the target accounts
     * @param evidenceRegion  region of the evidence bucket
     * @param evidenceEndpoint endpoint override for the evidence bucket only; empty: {@code endpoint}
     * @param externalId      external id sent with AssumeRole, when the member accounts' trust policies require one
     */
    public record AwsSettings(Optional<URI> endpoint, int maxAttempts, Duration retryBaseDelay, boolean assumeRole, String roleName,
                              String partition, String evidenceRegion, Optional<URI> evidenceEndpoint, Optional<String> externalId) {

        /** Settings without an external id. */
        public AwsSettings(Optional<URI> endpoint, int maxAttempts, Duration retryBaseDelay, boolean assumeRole, String roleName,
                           String partition, String evidenceRegion, Optional<URI> evidenceEndpoint) {
            this(endpoint, maxAttempts, retryBaseDelay, assumeRole, roleName, partition, evidenceRegion, evidenceEndpoint,
                Optional.empty());
        }
    }
}
