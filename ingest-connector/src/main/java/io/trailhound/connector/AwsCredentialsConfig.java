package io.trailhound.connector;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The credential keys every connector shares, defined once ({@link #define}): the base credentials (the default provider
 * chain, or a static key) and an optional role assumed on top of them through STS ({@code aws.role.arn}, with
 * {@code aws.role.external.id} and {@code aws.role.session.name}). The GuardDuty source adds a per-account role
 * ({@link #defineRoleTemplate}: {@code aws.role.arn.template} with {@code {account}}, and {@code accounts}).
 */
public record AwsCredentialsConfig(String accessKeyId, String secretAccessKey, String roleArn, String externalId,
                                   String sessionName, String stsEndpoint) {

    public static final String AWS_ACCESS_KEY_ID_CONFIG = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = "aws.secret.access.key";
    public static final String AWS_ROLE_ARN_CONFIG = "aws.role.arn";
    public static final String AWS_ROLE_EXTERNAL_ID_CONFIG = "aws.role.external.id";
    public static final String AWS_ROLE_SESSION_NAME_CONFIG = "aws.role.session.name";
    public static final String AWS_STS_ENDPOINT_CONFIG = "aws.sts.endpoint.override";
    public static final String AWS_ROLE_ARN_TEMPLATE_CONFIG = "aws.role.arn.template";
    public static final String ACCOUNTS_CONFIG = "accounts";
    /** The placeholder of {@code aws.role.arn.template}. */
    public static final String ACCOUNT_PLACEHOLDER = "{account}";
    public static final String DEFAULT_SESSION_NAME = "trailhound-connector";

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    /** Empty, or an IAM role ARN. */
    public static final ConfigDef.Validator ROLE_ARN_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        String text = value == null ? "" : value.toString().trim();
        if (!text.isEmpty() && !isRoleArn(text)) {
            throw new ConfigException(name, value, "expected an IAM role ARN like arn:aws:iam::111122223333:role/trailhound-reader");
        }
    }, () -> "empty or arn:aws:iam::<account>:role/<name>");

    /** Empty, or a role ARN containing {account}. */
    public static final ConfigDef.Validator TEMPLATE_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        String text = value == null ? "" : value.toString().trim();
        if (text.isEmpty()) {
            return;
        }
        if (!text.contains(ACCOUNT_PLACEHOLDER)) {
            throw new ConfigException(name, value, "the template must contain " + ACCOUNT_PLACEHOLDER
                + ", e.g. arn:aws:iam::{account}:role/trailhound-reader");
        }
        if (!isRoleArn(roleOf(text, "111122223333"))) {
            throw new ConfigException(name, value, "with " + ACCOUNT_PLACEHOLDER + " replaced by an account id this is not an IAM "
                + "role ARN; expected e.g. arn:aws:iam::{account}:role/trailhound-reader");
        }
    }, () -> "empty or an IAM role ARN containing {account}");

    private static final ConfigDef.Validator SESSION_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        if (value == null || !SESSION_NAME.matcher(value.toString()).matches()) {
            throw new ConfigException(name, value, "a role session name has 2 to 64 of the characters [A-Za-z0-9_+=,.@-]");
        }
    }, () -> "2-64 characters [A-Za-z0-9_+=,.@-]");

    /** A list of 12-digit account ids (shared with the log-file source's {@code accounts}). */
    public static final ConfigDef.Validator ACCOUNT_IDS = ConfigDef.LambdaValidator.with((name, value) -> {
        for (Object account : (List<?>) value) {
            if (!account.toString().matches("\\d{12}")) {
                throw new ConfigException(name, value, "'" + account + "' is not a 12-digit AWS account id");
            }
        }
    }, () -> "12-digit account ids");

    /** Adds the base-credential and role keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
            .define(AWS_ACCESS_KEY_ID_CONFIG, Type.STRING, "", Importance.LOW,
                "Static access key id; empty uses the default credentials provider chain (recommended).")
            .define(AWS_SECRET_ACCESS_KEY_CONFIG, Type.PASSWORD, "", Importance.LOW,
                "Secret of the static access key; only used with aws.access.key.id.")
            .define(AWS_ROLE_ARN_CONFIG, Type.STRING, "", ROLE_ARN_VALUES, Importance.MEDIUM,
                "Role assumed with the base credentials (STS, refreshed before expiry) for every AWS call, e.g. the log-archive "
                    + "account's reader role; empty uses the base credentials.")
            .define(AWS_ROLE_EXTERNAL_ID_CONFIG, Type.PASSWORD, "", Importance.LOW,
                "External id sent with AssumeRole when the role's trust policy requires one (sts:ExternalId); empty sends none.")
            .define(AWS_ROLE_SESSION_NAME_CONFIG, Type.STRING, DEFAULT_SESSION_NAME, SESSION_VALUES, Importance.LOW,
                "Role session name of the assumed role (appears in the target account's CloudTrail as the session).")
            .define(AWS_STS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
                "Endpoint override of the STS client that assumes the role (tests, VPC endpoints); empty uses AWS's regional STS.");
    }

    /** Adds the per-account role of sources that read each account directly: {@code aws.role.arn.template} and {@code accounts}. */
    public static ConfigDef defineRoleTemplate(ConfigDef definition) {
        return definition
            .define(AWS_ROLE_ARN_TEMPLATE_CONFIG, Type.STRING, "", TEMPLATE_VALUES, Importance.MEDIUM,
                "Role ARN with {account} assumed in each of 'accounts' to read its own detectors (not via a delegated "
                    + "administrator), e.g. arn:aws:iam::{account}:role/trailhound-reader.")
            .define(ACCOUNTS_CONFIG, Type.LIST, "", ACCOUNT_IDS, Importance.MEDIUM,
                "Accounts (12 digits) read through aws.role.arn.template; required with it, unused without it.");
    }

    /** The credential settings of {@code config} (which defined the keys of {@link #define}). */
    public static AwsCredentialsConfig of(AbstractConfig config) {
        Password secret = config.getPassword(AWS_SECRET_ACCESS_KEY_CONFIG);
        Password externalId = config.getPassword(AWS_ROLE_EXTERNAL_ID_CONFIG);
        return new AwsCredentialsConfig(config.getString(AWS_ACCESS_KEY_ID_CONFIG).trim(), secret == null ? "" : secret.value(),
            config.getString(AWS_ROLE_ARN_CONFIG).trim(), externalId == null ? "" : externalId.value(),
            config.getString(AWS_ROLE_SESSION_NAME_CONFIG), config.getString(AWS_STS_ENDPOINT_CONFIG).trim());
    }

    /** {@code template} with {@code {account}} replaced by {@code account}. */
    public static String roleOf(String template, String account) {
        return template.trim().replace(ACCOUNT_PLACEHOLDER, account);
    }

    /** {@code configured} as a region, or else the default region provider chain's, or else us-east-1. */
    public static Region regionOr(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured.trim());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1;
        }
    }

    /** Whether {@code arn} is an IAM role ARN ({@code arn:<partition>:iam::<12 digits>:role/<path/name>}). */
    public static boolean isRoleArn(String arn) {
        return ROLE_ARN.matcher(arn).matches();
    }

    /**
     * Credentials for {@code aws.role.arn} (or the base credentials when it is empty); STS is called in {@code stsRegion},
     * asked for only when a role is configured (the default region chain can take a second without instance metadata).
     */
    public AwsAuth open(Supplier<Region> stsRegion) {
        return open(stsRegion, roleArn);
    }

    /** Credentials assuming {@code role} (blank: the base credentials) with this config's external id and session name. */
    public AwsAuth open(Supplier<Region> stsRegion, String role) {
        return AwsAuth.create(this, stsRegion, role);
    }

    @Override
    public String toString() {
        // Never print the secret or the external id.
        return "AwsCredentialsConfig[accessKeyId=" + accessKeyId + ", secretAccessKey=****, roleArn=" + roleArn
            + ", externalId=****, sessionName=" + sessionName + ", stsEndpoint=" + stsEndpoint + "]";
    }
}
