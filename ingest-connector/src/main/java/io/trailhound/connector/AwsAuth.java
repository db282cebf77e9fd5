package io.trailhound.connector;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials of one connector task (or one {@code validate()}): the base chain, and when a role is configured an
 * auto-refreshing {@link StsAssumeRoleCredentialsProvider} on top of it with its own STS client. Clients get
 * {@link #provider()}; the owner closes this once its clients are closed (the STS provider does not close its client).
 */
public final class AwsAuth implements AutoCloseable {

    private final AwsCredentialsProvider base;
    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider assumed;
    private final String roleArn;

    private AwsAuth(AwsCredentialsProvider base, StsClient sts, StsAssumeRoleCredentialsProvider assumed, String roleArn) {
        this.base = base;
        this.sts = sts;
        this.assumed = assumed;
        this.roleArn = roleArn;
    }

    static AwsAuth create(AwsCredentialsConfig config, Supplier<Region> stsRegion, String role) {
        AwsCredentialsProvider base = config.accessKeyId().isBlank()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        if (role == null || role.isBlank()) {
            return new AwsAuth(base, null, null, "");
        }
        StsClientBuilder builder = StsClient.builder().region(stsRegion.get()).credentialsProvider(base);
        if (!config.stsEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.stsEndpoint()));
        }
        StsClient sts = builder.build();
        String externalId = config.externalId().isEmpty() ? null : config.externalId();
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts)
            .refreshRequest(r -> r.roleArn(role.trim()).roleSessionName(config.sessionName()).externalId(externalId))
            .build();
        return new AwsAuth(base, sts, assumed, role.trim());
    }

    /**
     * The provider to build clients with: the assumed role's (refreshed before expiry) or the base one. A plain lambda, so
     * a client's {@code close()} never closes the shared provider underneath.
     */
    public AwsCredentialsProvider provider() {
        AwsCredentialsProvider source = assumed != null ? assumed : base;
        return source::resolveCredentials;
    }

    /** The assumed role's ARN, empty for the base credentials. */
    public String roleArn() {
        return roleArn;
    }

    /**
     * When {@code error} is STS refusing the role assumption (a 4xx other than throttling), the message saying so: the base
     * credentials need sts:AssumeRole on the role and the role's trust policy must allow them (and the external id).
     */
    public static Optional<String> roleFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof StsException sts && sts.statusCode() >= 400 && sts.statusCode() < 500 && sts.statusCode() != 429
                && !sts.isThrottlingException()) {
                String code = sts.awsErrorDetails() == null ? "" : String.valueOf(sts.awsErrorDetails().errorCode());
                return Optional.of("STS refused to assume the configured role (" + sts.statusCode() + " " + code + ": "
                    + sts.getMessage() + "): the base credentials need sts:AssumeRole on aws.role.arn (or aws.role.arn.template), "
                    + "and the role's trust policy must allow them, with aws.role.external.id if it requires sts:ExternalId");
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (assumed != null) {
            assumed.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (base instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
