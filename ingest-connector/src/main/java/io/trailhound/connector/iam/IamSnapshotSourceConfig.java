package io.trailhound.connector.iam;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsCredentialsConfig;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.RetryConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.OrganizationsClientBuilder;

/** Typed configuration of the IAM snapshot source. */
public final class IamSnapshotSourceConfig extends OutputConfig {

    public static final String ACCOUNTS_CONFIG = AwsCredentialsConfig.ACCOUNTS_CONFIG;
    public static final String AWS_ROLE_ARN_TEMPLATE_CONFIG = AwsCredentialsConfig.AWS_ROLE_ARN_TEMPLATE_CONFIG;
    public static final String ORGANIZATIONS_ROLE_ARN_CONFIG = "organizations.role.arn";
    public static final String INTERVAL_MS_CONFIG = "iam.snapshot.interval.ms";
    public static final String PAGE_SIZE_CONFIG = "iam.page.size";
    public static final String AWS_REGION_CONFIG = "aws.region";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String DEFAULT_TOPIC = "trailhound.iam.snapshots";

    private static final ConfigDef.Validator ACCOUNT_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        if (((List<?>) value).isEmpty()) {
            throw new ConfigException(name, value, "at least one 12-digit account id to snapshot");
        }
        AwsCredentialsConfig.ACCOUNT_IDS.ensureValid(name, value);
    }, () -> "non-empty list of 12-digit account ids");

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = RetryConfig.define(AwsCredentialsConfig.define(OutputConfig.define(
        new ConfigDef()
        .define(ACCOUNTS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ACCOUNT_VALUES, Importance.HIGH,
            "Accounts (12 digits) whose IAM is snapshotted; several need aws.role.arn.template.")
        .define(AWS_ROLE_ARN_TEMPLATE_CONFIG, Type.STRING, "", AwsCredentialsConfig.TEMPLATE_VALUES, Importance.HIGH,
            "Member role ARN with {account} assumed in each of 'accounts' for iam:GetAccountAuthorizationDetails, e.g. "
                + "arn:aws:iam::{account}:role/trailhound-reader; empty reads the one account with aws.role.arn or the base credentials.")
        .define(ORGANIZATIONS_ROLE_ARN_CONFIG, Type.STRING, "", AwsCredentialsConfig.ROLE_ARN_VALUES, Importance.MEDIUM,
            "Role in the management or a delegated-administrator account assumed to read the SCPs in effect for each account "
                + "(Organizations ListParents, ListPoliciesForTarget, DescribePolicy); empty leaves SCPs out."),
        DEFAULT_TOPIC, "Compacted topic receiving one record per IAM entity, the account's SCPs and an end-of-snapshot marker "
            + "(String key <account>|<arn>, JSON value; see the record contract).")
        .define(INTERVAL_MS_CONFIG, Type.LONG, Duration.ofHours(6).toMillis(), Range.atLeast(1_000L), Importance.MEDIUM,
            "Time from the start of one snapshot of an account to the start of the next.")
        .define(PAGE_SIZE_CONFIG, Type.INT, 1000, Range.between(1, 1000), Importance.LOW,
            "MaxItems per GetAccountAuthorizationDetails page (the call is paged to the end with Marker).")
        .define(AWS_REGION_CONFIG, Type.STRING, "", Importance.LOW,
            "Region of the STS client assuming the roles; empty uses the default region provider chain, else us-east-1.")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override of the IAM and Organizations clients (tests, private endpoints); empty uses AWS.")));

    /** Parses and validates {@code props}, including the combinations of keys ({@link #conflicts()}). */
    public IamSnapshotSourceConfig(Map<String, String> props) {
        this(props, true);
    }

    private IamSnapshotSourceConfig(Map<String, String> props, boolean checkCombinations) {
        super(CONFIG_DEF, props);
        Map<String, String> conflicts = checkCombinations ? conflicts() : Map.of();
        if (!conflicts.isEmpty()) {
            Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
            throw new ConfigException(first.getKey(), get(first.getKey()), first.getValue());
        }
    }

    /** The conflicting combinations in {@code props} (each key already valid on its own), as problem by key. */
    static Map<String, String> conflicts(Map<String, String> props) {
        return new IamSnapshotSourceConfig(props, false).conflicts();
    }

    /** Several accounts need the per-account role; the per-account role excludes aws.role.arn. */
    Map<String, String> conflicts() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (roleTemplate().isEmpty() && accounts().size() > 1) {
            problems.put(ACCOUNTS_CONFIG, "one set of credentials reads one account: set aws.role.arn.template to read several");
        }
        if (roleTemplate().isPresent() && !getString(AwsCredentialsConfig.AWS_ROLE_ARN_CONFIG).isBlank()) {
            problems.put(AwsCredentialsConfig.AWS_ROLE_ARN_CONFIG, "set aws.role.arn or aws.role.arn.template, not both");
        }
        return problems;
    }

    public List<String> accounts() {
        return getList(ACCOUNTS_CONFIG);
    }

    /** The per-account member role template, empty when one role (or none) reads the one account. */
    public Optional<String> roleTemplate() {
        String template = getString(AWS_ROLE_ARN_TEMPLATE_CONFIG);
        return template.isBlank() ? Optional.empty() : Optional.of(template.trim());
    }

    /** The management or delegated-administrator role reading SCPs, empty when SCPs are left out. */
    public Optional<String> organizationsRole() {
        String role = getString(ORGANIZATIONS_ROLE_ARN_CONFIG);
        return role.isBlank() ? Optional.empty() : Optional.of(role.trim());
    }

    /** The member-role credentials of each account of {@link #accounts()}, keyed by the account. */
    public Map<String, AwsAuth> openCredentials() {
        Map<String, AwsAuth> opened = new LinkedHashMap<>();
        AwsCredentialsConfig credentials = AwsCredentialsConfig.of(this);
        for (String account : accounts()) {
            opened.put(account, roleTemplate().isPresent()
                ? credentials.open(stsRegion(), AwsCredentialsConfig.roleOf(roleTemplate().get(), account))
                : credentials.open(stsRegion()));
        }
        return opened;
    }

    /** The organizations role's credentials, when one is configured. */
    public Optional<AwsAuth> openOrganizationsCredentials() {
        return organizationsRole().map(role -> AwsCredentialsConfig.of(this).open(stsRegion(), role));
    }

    private Supplier<Region> stsRegion() {
        return () -> AwsCredentialsConfig.regionOr(getString(AWS_REGION_CONFIG));
    }

    /** A client of IAM (global) signing with {@code credentials}. */
    public IamClient iamClient(AwsCredentialsProvider credentials) {
        IamClientBuilder builder = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials);
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A client of Organizations (its endpoint is in us-east-1) signing with {@code credentials}. */
    public OrganizationsClient organizationsClient(AwsCredentialsProvider credentials) {
        OrganizationsClientBuilder builder = OrganizationsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials);
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private Optional<URI> endpoint() {
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        return endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim()));
    }

    public Duration interval() {
        return Duration.ofMillis(getLong(INTERVAL_MS_CONFIG));
    }

    public int pageSize() {
        return getInt(PAGE_SIZE_CONFIG);
    }

    /** Backoff and the credentials' bounded retry of the background reader. */
    public RetryConfig retry() {
        return RetryConfig.of(this);
    }
}
