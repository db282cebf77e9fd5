package io.trailhound.respond;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import io.trailhound.avro.Severity;
import io.trailhound.respond.aws.AwsClientFactory;
import io.trailhound.respond.runbook.ForensicSettings;
import io.trailhound.respond.runbook.GlobPattern;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.respond.safety.ContainmentEvidence;
import io.trailhound.respond.safety.DecisionCheck;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.topic.ClientSettings;
import io.trailhound.signing.RecordSignature;

/** The responder's configuration: every key typed, defaulted, validated and documented; unknown keys fail at start-up. */
public final class ResponderConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers the engine consumes alerts from and audits to.";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL for the Avro topics.";
    public static final String GROUP_ID_CONFIG = "responder.group.id";
    private static final String GROUP_ID_DOC = "Consumer group id of the responder on trailhound.alerts.";

    public static final String GROUP_INSTANCE_ID_CONFIG = "responder.group.instance.id";
    private static final String GROUP_INSTANCE_ID_DOC = "Static membership (#17): the responder's group.instance.id, unique per "
        + "running instance and the same across its restarts (in Kubernetes the pod name: ${env:HOSTNAME} with the env config "
        + "provider). A restart within the session timeout gets its partitions back at once instead of after the timeout; a clean "
        + "stop still leaves the group. Empty: dynamic membership.";

    public static final String DRY_RUN_CONFIG = "responder.dry.run";
    private static final String DRY_RUN_DOC = "Plan and audit only: no AWS call that changes state is made. On by default.";
    public static final String RUNBOOK_MAPPING_CONFIG = "responder.runbook.mapping";
    private static final String RUNBOOK_MAPPING_DOC = "Runbook selection, first match wins: GLOB=RUNBOOK_ID entries matched against the "
        + "rule id and GuardDuty finding types of alerts without a runbook field. Runbooks: iam-user-compromise, "
        + "role-session-compromise, ec2-compromise, credential-compromise (user or role by principal type).";
    public static final String PROTECTED_ARNS_CONFIG = "responder.protected.arns";
    private static final String PROTECTED_ARNS_DOC = "ARN globs (* and ?) of principals and resources never contained, e.g. "
        + "break-glass roles. The responder's own role is always protected.";
    public static final String PROTECTED_INSTANCE_TAGS_CONFIG = "responder.protected.instance.tags";
    private static final String PROTECTED_INSTANCE_TAGS_DOC = "KEY=VALUE instance tags that protect an instance from containment.";
    public static final String ROLE_NAME_CONFIG = "responder.role.name";
    private static final String ROLE_NAME_DOC = "Name of the role the responder assumes in the alert's account (and never contains).";
    public static final String IDENTITY_ARN_CONFIG = "responder.identity.arn";
    private static final String IDENTITY_ARN_DOC = "ARN of the responder's own identity, protected like its role; empty when unknown.";
    public static final String BREAKER_MAX_CONFIG = "responder.circuit.breaker.max.actions.per.minute";
    private static final String BREAKER_MAX_DOC = "Automatic containment actions allowed per account in a sliding minute; beyond, "
        + "everything waits for approval.";
    public static final String BREAKER_COOLDOWN_CONFIG = "responder.circuit.breaker.cooldown.ms";
    private static final String BREAKER_COOLDOWN_DOC = "How long a tripped circuit breaker keeps an account on approval-only.";
    public static final String STALENESS_CONFIG = "responder.staleness.max.age.ms";
    private static final String STALENESS_DOC = "Alerts whose latest event is older than this are never acted on.";
    public static final String MIN_SEVERITY_CONFIG = "responder.min.severity";
    private static final String MIN_SEVERITY_DOC = "Lowest alert severity the responder acts on (INFORMATIONAL, LOW, MEDIUM, HIGH, "
        + "CRITICAL); the steps of lower alerts are audited SKIPPED. A runbook recommended by a low-severity rule (any SSM "
        + "session, root read-only activity) is advice to the analyst.";
    public static final String CONTAINMENT_AUTOMATIC_CONFIG = "responder.containment.automatic";
    private static final String CONTAINMENT_AUTOMATIC_DOC = "When containment runs without approval: 'corroborated' (default) "
        + "only for a signature, sequence or rate rule, a GuardDuty finding, or an incident holding two different rules at MEDIUM "
        + "or above (an alert whose only evidence is baseline novelty, e.g. a first role, waits for approval); 'always' for any "
        + "alert at or above responder.min.severity; 'never': every containment step waits for approval.";
    public static final String INCIDENT_CONTAINMENT_SEVERITY_CONFIG = "responder.incident.containment.severity";
    private static final String INCIDENT_CONTAINMENT_SEVERITY_DOC = "Incident severity from which every credential of the incident's "
        + "identity chain is contained, root first (the chain root's IAM user: keys, tokens issued before now, console access; "
        + "every assumed role: older sessions denied in its account; root, Identity Center and federated roots: escalated to a "
        + "person). INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, or OFF.";
    public static final String APPROVAL_ACTIONS_CONFIG = "responder.approval.actions";
    private static final String APPROVAL_ACTIONS_DOC = "AWS actions (service:Operation) that wait for approval besides destructive ones.";
    public static final String APPROVAL_TIMEOUT_CONFIG = "responder.approval.timeout.ms";
    private static final String APPROVAL_TIMEOUT_DOC = "How long an approval request stays valid; later decisions are ignored.";
    public static final String EVIDENCE_BUCKET_CONFIG = "responder.evidence.bucket";
    private static final String EVIDENCE_BUCKET_DOC = "S3 bucket with Object Lock that receives instance evidence.";
    public static final String ALLOW_ALL_GROUP_CONFIG = "responder.isolation.allow.all.group.name";
    private static final String ALLOW_ALL_GROUP_DOC = "Name of the first isolation security group (allows all, so flows become untracked).";
    public static final String QUARANTINE_GROUP_CONFIG = "responder.isolation.quarantine.group.name";
    private static final String QUARANTINE_GROUP_DOC = "Name of the quarantine security group (no rules), created per VPC if missing.";
    public static final String ACCESS_KEYS_SCOPE_CONFIG = "responder.access.keys.scope";
    private static final String ACCESS_KEYS_SCOPE_DOC = "Which access keys of a compromised user to deactivate: all, or compromised "
        + "(those the alert names).";
    public static final String NOTIFICATION_TOPIC_CONFIG = "responder.notification.topic.arn";
    private static final String NOTIFICATION_TOPIC_DOC = "SNS topic told about each incident; empty: the audit topic is the only record.";
    public static final String NOTIFICATION_WEBHOOK_CONFIG = "responder.notification.webhook.url";
    private static final String NOTIFICATION_WEBHOOK_DOC = "URL that receives a JSON summary of each incident's actions (POST); "
        + "empty for none.";
    public static final String TERMINATE_CONFIG = "responder.ec2.terminate";
    private static final String TERMINATE_DOC = "Whether the EC2 runbook ends with terminating the instance (always after approval).";
    public static final String AWS_ENDPOINT_CONFIG = "responder.aws.endpoint.override";
    private static final String AWS_ENDPOINT_DOC = "Endpoint for every AWS client (a local emulator); empty for AWS itself.";
    public static final String AWS_MAX_ATTEMPTS_CONFIG = "responder.aws.max.attempts";
    private static final String AWS_MAX_ATTEMPTS_DOC = "Attempts per AWS call; throttling and 5xx errors are retried with backoff.";
    public static final String AWS_RETRY_BASE_DELAY_CONFIG = "responder.aws.retry.base.delay.ms";
    private static final String AWS_RETRY_BASE_DELAY_DOC = "Base delay of the jittered exponential backoff between AWS retries.";
    public static final String EVIDENCE_REGION_CONFIG = "responder.evidence.region";
    private static final String EVIDENCE_REGION_DOC = "Region of the evidence bucket.";
    public static final String PARTITION_CONFIG = "responder.aws.partition";
    private static final String PARTITION_DOC = "ARN partition of the accounts the responder acts in: aws, aws-cn or aws-us-gov.";
    public static final String AWS_THROTTLE_BUDGET_CONFIG = "responder.aws.throttle.budget.ms";
    private static final String AWS_THROTTLE_BUDGET_DOC = "How long a step throttled by AWS (after the SDK's retries) is run again, with"
        + " a growing wait, before it is recorded FAILED; keep it under the consumer's max.poll.interval.ms.";
    public static final String KAFKA_WRITE_TIMEOUT_CONFIG = "responder.kafka.write.timeout.ms";
    private static final String KAFKA_WRITE_TIMEOUT_DOC = "How long an audit write may take before the batch is retried (the step it"
        + " records is known as done, so it is not done twice, and is written once Kafka answers again).";
    public static final String HTTP_PORT_CONFIG = "responder.http.port";
    private static final String HTTP_PORT_DOC = "Port of /healthy, /ready and /metrics (Prometheus); 0 picks a free port.";
    public static final String ASSUME_ROLE_CONFIG = "responder.aws.assume.role";
    private static final String ASSUME_ROLE_DOC = "Assume responder.role.name in the alert's account (STS); off: use the "
        + "default credentials directly.";
    public static final String EXTERNAL_ID_CONFIG = "responder.aws.external.id";
    private static final String EXTERNAL_ID_DOC = "External id sent with every AssumeRole into responder.role.name; member-account "
        + "trust policies require it (sts:ExternalId), so a leaked role ARN alone cannot be used. Empty: none sent.";
    public static final String QUARANTINE_PROFILE_CONFIG = "responder.ec2.quarantine.instance.profile.arn";
    private static final String QUARANTINE_PROFILE_DOC = "Instance profile whose role denies everything: replaces a compromised "
        + "instance's profile (ReplaceIamInstanceProfileAssociation); empty: the profile is disassociated.";
    public static final String FORENSIC_ACCOUNT_CONFIG = "responder.forensic.account.id";
    private static final String FORENSIC_ACCOUNT_DOC = "Account the incident's EBS snapshots are shared with for forensics "
        + "(createVolumePermission); empty: not shared.";
    public static final String MEMORY_CAPTURE_DOCUMENT_CONFIG = "responder.ec2.memory.capture.document";
    private static final String MEMORY_CAPTURE_DOCUMENT_DOC = "SSM document run (SendCommand) on a compromised instance to capture "
        + "memory and volatile state into the evidence bucket; empty: no capture.";
    public static final String EVIDENCE_RETENTION_DAYS_CONFIG = "responder.evidence.retention.days";
    private static final String EVIDENCE_RETENTION_DAYS_DOC = "Object Lock retention set on every evidence object "
        + "(x-amz-object-lock-retain-until-date), in days; 0: rely on the bucket's default retention.";
    public static final String OBJECT_LOCK_MODE_CONFIG = "responder.evidence.object.lock.mode";
    private static final String OBJECT_LOCK_MODE_DOC = "Object Lock mode of evidence objects: COMPLIANCE or GOVERNANCE.";
    public static final String TRUSTED_ACCOUNTS_CONFIG = "responder.trusted.account.ids";
    private static final String TRUSTED_ACCOUNTS_DOC = "Accounts snapshots, AMIs and buckets may stay shared with (besides the "
        + "owner); every other account and public sharing is removed.";
    public static final String APPROVALS_REQUIRE_SIGNATURE_CONFIG = "responder.approvals.require.signature";
    private static final String APPROVALS_REQUIRE_SIGNATURE_DOC = "Refuse (and audit) every approval decision that is not signed "
        + "by a configured approver (responder.approver.NAME.public.key/.runbooks/.accounts) within their scope, unexpired, "
        + "unreplayed and for the request it names. Off only for development: unsigned decisions are then applied as named.";
    public static final String ALERTS_REQUIRE_SIGNATURE_CONFIG = "responder.alerts.require.signature";
    private static final String ALERTS_REQUIRE_SIGNATURE_DOC = "Act only on alerts and incidents signed by a key of "
        + "responder.alerts.trusted.keys (the stream processor's trailhound.signing.key.file); others are refused and audited. "
        + "Off only for development.";
    public static final String ALERTS_TRUSTED_KEYS_CONFIG = "responder.alerts.trusted.keys";
    private static final String ALERTS_TRUSTED_KEYS_DOC = "KEY_ID:PUBLIC_KEY entries (base64 X.509 Ed25519, as "
        + "'trailhound keygen detector' prints them) of the detection pipeline's signing keys; several during a "
        + "key rotation.";

    /** The definition of every key. */
    public static final ConfigDef CONFIG = new ConfigDef()
        .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, "127.0.0.1:9092", new ConfigDef.NonEmptyString(), Importance.HIGH,
            BOOTSTRAP_SERVERS_DOC)
        .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", new ConfigDef.NonEmptyString(),
            Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
        .define(GROUP_ID_CONFIG, Type.STRING, "trailhound-responder", new ConfigDef.NonEmptyString(), Importance.MEDIUM, GROUP_ID_DOC)
        .define(GROUP_INSTANCE_ID_CONFIG, Type.STRING, "", null, Importance.LOW, GROUP_INSTANCE_ID_DOC)
        .define(DRY_RUN_CONFIG, Type.BOOLEAN, true, null, Importance.HIGH, DRY_RUN_DOC)
        .define(RUNBOOK_MAPPING_CONFIG, Type.LIST, RunbookSelector.DEFAULT_MAPPING, mappingValidator(), Importance.HIGH,
            RUNBOOK_MAPPING_DOC)
        .define(PROTECTED_ARNS_CONFIG, Type.LIST, List.of(), arnGlobValidator(), Importance.HIGH, PROTECTED_ARNS_DOC)
        .define(PROTECTED_INSTANCE_TAGS_CONFIG, Type.LIST, List.of("trailhound:protected=true"), keyValueValidator(),
            Importance.HIGH, PROTECTED_INSTANCE_TAGS_DOC)
        .define(ROLE_NAME_CONFIG, Type.STRING, "TrailhoundResponder", new ConfigDef.NonEmptyString(), Importance.HIGH, ROLE_NAME_DOC)
        .define(IDENTITY_ARN_CONFIG, Type.STRING, "", null, Importance.MEDIUM, IDENTITY_ARN_DOC)
        .define(BREAKER_MAX_CONFIG, Type.INT, 25, Range.atLeast(1), Importance.HIGH, BREAKER_MAX_DOC)
        .define(BREAKER_COOLDOWN_CONFIG, Type.LONG, Duration.ofMinutes(10).toMillis(), Range.atLeast(0), Importance.MEDIUM,
            BREAKER_COOLDOWN_DOC)
        .define(STALENESS_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(1), Importance.HIGH, STALENESS_DOC)
        .define(MIN_SEVERITY_CONFIG, Type.STRING, Severity.MEDIUM.name(),
            ValidString.in(Arrays.stream(Severity.values()).map(Enum::name).toArray(String[]::new)), Importance.HIGH,
            MIN_SEVERITY_DOC)
        .define(CONTAINMENT_AUTOMATIC_CONFIG, Type.STRING, "corroborated", ValidString.in("corroborated", "always", "never"),
            Importance.HIGH, CONTAINMENT_AUTOMATIC_DOC)
        .define(INCIDENT_CONTAINMENT_SEVERITY_CONFIG, Type.STRING, Severity.HIGH.name(),
            ValidString.in("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL", "OFF"), Importance.HIGH,
            INCIDENT_CONTAINMENT_SEVERITY_DOC)
        .define(APPROVAL_ACTIONS_CONFIG, Type.LIST, List.of(), actionValidator(), Importance.MEDIUM, APPROVAL_ACTIONS_DOC)
        .define(APPROVAL_TIMEOUT_CONFIG, Type.LONG, Duration.ofHours(4).toMillis(), Range.atLeast(1), Importance.MEDIUM,
            APPROVAL_TIMEOUT_DOC)
        .define(EVIDENCE_BUCKET_CONFIG, Type.STRING, "trailhound-evidence", new ConfigDef.NonEmptyString(), Importance.HIGH,
            EVIDENCE_BUCKET_DOC)
        .define(ALLOW_ALL_GROUP_CONFIG, Type.STRING, "trailhound-isolation-allow-all", new ConfigDef.NonEmptyString(),
            Importance.LOW, ALLOW_ALL_GROUP_DOC)
        .define(QUARANTINE_GROUP_CONFIG, Type.STRING, "trailhound-quarantine", new ConfigDef.NonEmptyString(), Importance.LOW,
            QUARANTINE_GROUP_DOC)
        .define(ACCESS_KEYS_SCOPE_CONFIG, Type.STRING, "all", ValidString.in("all", "compromised"), Importance.MEDIUM,
            ACCESS_KEYS_SCOPE_DOC)
        .define(NOTIFICATION_TOPIC_CONFIG, Type.STRING, "", null, Importance.MEDIUM, NOTIFICATION_TOPIC_DOC)
        .define(NOTIFICATION_WEBHOOK_CONFIG, Type.STRING, "", webhookValidator(), Importance.MEDIUM, NOTIFICATION_WEBHOOK_DOC)
        .define(TERMINATE_CONFIG, Type.BOOLEAN, false, null, Importance.MEDIUM, TERMINATE_DOC)
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", null, Importance.LOW, AWS_ENDPOINT_DOC)
        .define(AWS_MAX_ATTEMPTS_CONFIG, Type.INT, 5, Range.between(1, 20), Importance.LOW, AWS_MAX_ATTEMPTS_DOC)
        .define(ASSUME_ROLE_CONFIG, Type.BOOLEAN, true, null, Importance.MEDIUM, ASSUME_ROLE_DOC)
        .define(EXTERNAL_ID_CONFIG, Type.PASSWORD, "", null, Importance.MEDIUM, EXTERNAL_ID_DOC)
        .define(AWS_RETRY_BASE_DELAY_CONFIG, Type.LONG, 100L, Range.between(1, 10_000), Importance.LOW, AWS_RETRY_BASE_DELAY_DOC)
        .define(EVIDENCE_REGION_CONFIG, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            EVIDENCE_REGION_DOC)
        .define(AWS_THROTTLE_BUDGET_CONFIG, Type.LONG, 120_000L, Range.between(0, 240_000), Importance.LOW, AWS_THROTTLE_BUDGET_DOC)
        .define(KAFKA_WRITE_TIMEOUT_CONFIG, Type.LONG, 30_000L, Range.between(100, 600_000), Importance.LOW, KAFKA_WRITE_TIMEOUT_DOC)
        .define(HTTP_PORT_CONFIG, Type.INT, 8083, Range.between(0, 65_535), Importance.MEDIUM, HTTP_PORT_DOC)
        .define(PARTITION_CONFIG, Type.STRING, "aws", ValidString.in("aws", "aws-cn", "aws-us-gov"), Importance.LOW, PARTITION_DOC)
        .define(QUARANTINE_PROFILE_CONFIG, Type.STRING, "", null, Importance.MEDIUM, QUARANTINE_PROFILE_DOC)
        .define(FORENSIC_ACCOUNT_CONFIG, Type.STRING, "", accountValidator(), Importance.MEDIUM, FORENSIC_ACCOUNT_DOC)
        .define(MEMORY_CAPTURE_DOCUMENT_CONFIG, Type.STRING, "", null, Importance.LOW, MEMORY_CAPTURE_DOCUMENT_DOC)
        .define(EVIDENCE_RETENTION_DAYS_CONFIG, Type.INT, 365, Range.between(0, 36_500), Importance.MEDIUM,
            EVIDENCE_RETENTION_DAYS_DOC)
        .define(OBJECT_LOCK_MODE_CONFIG, Type.STRING, "COMPLIANCE", ValidString.in("COMPLIANCE", "GOVERNANCE"), Importance.LOW,
            OBJECT_LOCK_MODE_DOC)
        .define(TRUSTED_ACCOUNTS_CONFIG, Type.LIST, List.of(), listOfAccountsValidator(), Importance.MEDIUM, TRUSTED_ACCOUNTS_DOC)
        .define(APPROVALS_REQUIRE_SIGNATURE_CONFIG, Type.BOOLEAN, true, null, Importance.HIGH, APPROVALS_REQUIRE_SIGNATURE_DOC)
        .define(ALERTS_REQUIRE_SIGNATURE_CONFIG, Type.BOOLEAN, true, null, Importance.HIGH, ALERTS_REQUIRE_SIGNATURE_DOC)
        .define(ALERTS_TRUSTED_KEYS_CONFIG, Type.LIST, List.of(), trustedKeysValidator(), Importance.HIGH, ALERTS_TRUSTED_KEYS_DOC);

    private final Approvers approvers;

    /** Parses and validates {@code props}; throws {@link ConfigException} naming the key for unknown or invalid values. */
    public ResponderConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
        Set<String> unknown = new HashSet<>(props.keySet());
        unknown.removeAll(CONFIG.names());
        unknown.removeIf(key -> key.startsWith(Approvers.PREFIX));
        // Kafka security (security.protocol, sasl.*, ssl.*) and registry TLS/basic-auth settings go to every client (#19)
        unknown.removeIf(key -> ClientSettings.isKafkaConnection(key) || ClientSettings.isRegistry(key));
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown responder configuration key(s) " + new TreeSet<>(unknown)
                + "; known keys: " + new TreeSet<>(CONFIG.names()) + " and " + Approvers.PREFIX + "NAME.{public.key,runbooks,accounts}");
        }
        this.approvers = Approvers.from(props);
    }

    /**
     * The settings of a Kafka client of the responder: the bootstrap address and every Kafka security setting of this
     * configuration, plus {@code more} (#19).
     */
    public Map<String, Object> kafkaClient(Map<String, ?> more) {
        return ClientSettings.kafka(originals(), more);
    }

    /** The schema registry settings (URL, TLS, basic auth, retries) the serdes get. */
    public Map<String, Object> registrySettings() {
        return ClientSettings.registry(originals());
    }

    /** How long a throttled step is run again before it counts as failed. */
    public Duration awsThrottleBudget() {
        return Duration.ofMillis(getLong(AWS_THROTTLE_BUDGET_CONFIG));
    }

    /** The approvers and what each may decide on. */
    public Approvers approvers() {
        return approvers;
    }

    /** The check every approval decision passes before it is applied. */
    public DecisionCheck decisionCheck() {
        return new DecisionCheck(approvers, getBoolean(APPROVALS_REQUIRE_SIGNATURE_CONFIG));
    }

    /**
     * The check of alert and incident records' signatures, or empty when not required (development only).
     *
     * @throws ConfigException when signatures are required and no key is trusted: every alert would be refused
     */
    public Optional<RecordSignature> alertSignatures() {
        if (!getBoolean(ALERTS_REQUIRE_SIGNATURE_CONFIG)) {
            return Optional.empty();
        }
        if (getList(ALERTS_TRUSTED_KEYS_CONFIG).isEmpty()) {
            throw new ConfigException(ALERTS_TRUSTED_KEYS_CONFIG, "", "no trusted key: with " + ALERTS_REQUIRE_SIGNATURE_CONFIG
                + "=true every alert would be refused; add the stream processor's public key (KEY_ID:PUBLIC_KEY) or, for "
                + "development only, set " + ALERTS_REQUIRE_SIGNATURE_CONFIG + "=false");
        }
        Map<String, PublicKey> trusted = new LinkedHashMap<>();
        for (String entry : getList(ALERTS_TRUSTED_KEYS_CONFIG)) {
            int colon = entry.indexOf(':');
            trusted.put(entry.substring(0, colon).trim(), Ed25519Keys.parsePublicKey(entry.substring(colon + 1)));
        }
        return Optional.of(new RecordSignature(trusted));
    }

    /** What runbooks need to plan. */
    public RunbookSettings runbookSettings() {
        return new RunbookSettings(getString(EVIDENCE_BUCKET_CONFIG), getString(ALLOW_ALL_GROUP_CONFIG),
            getString(QUARANTINE_GROUP_CONFIG), "all".equals(getString(ACCESS_KEYS_SCOPE_CONFIG)),
            getString(NOTIFICATION_TOPIC_CONFIG), getBoolean(TERMINATE_CONFIG), getString(NOTIFICATION_WEBHOOK_CONFIG),
            new ForensicSettings(getString(QUARANTINE_PROFILE_CONFIG), getString(FORENSIC_ACCOUNT_CONFIG),
                getString(MEMORY_CAPTURE_DOCUMENT_CONFIG), getInt(EVIDENCE_RETENTION_DAYS_CONFIG), getString(OBJECT_LOCK_MODE_CONFIG),
                getList(TRUSTED_ACCOUNTS_CONFIG)));
    }

    /** How the AWS clients are built. */
    public AwsClientFactory.AwsSettings awsSettings() {
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        Optional<URI> override = endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint));
        return new AwsClientFactory.AwsSettings(override, getInt(AWS_MAX_ATTEMPTS_CONFIG),
            Duration.ofMillis(getLong(AWS_RETRY_BASE_DELAY_CONFIG)), getBoolean(ASSUME_ROLE_CONFIG), getString(ROLE_NAME_CONFIG),
            getString(PARTITION_CONFIG), getString(EVIDENCE_REGION_CONFIG), Optional.empty(),
            Optional.of(getPassword(EXTERNAL_ID_CONFIG).value()).filter(id -> !id.isBlank()));
    }

    /** Whether the responder only plans and audits. */
    public boolean dryRun() {
        return getBoolean(DRY_RUN_CONFIG);
    }

    /** Instance tags that protect an instance, by key. */
    public Map<String, String> protectedInstanceTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String entry : getList(PROTECTED_INSTANCE_TAGS_CONFIG)) {
            int eq = entry.indexOf('=');
            tags.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return Map.copyOf(tags);
    }

    /** The lowest alert severity acted on. */
    public Severity minSeverity() {
        return Severity.valueOf(getString(MIN_SEVERITY_CONFIG));
    }

    /** The incident severity from which the whole chain is contained, or null when chain containment is off. */
    public Severity incidentContainmentSeverity() {
        String value = getString(INCIDENT_CONTAINMENT_SEVERITY_CONFIG);
        return "OFF".equals(value) ? null : Severity.valueOf(value);
    }

    /** When containment may run without approval. */
    public ContainmentEvidence.Policy containmentPolicy() {
        return ContainmentEvidence.Policy.of(getString(CONTAINMENT_AUTOMATIC_CONFIG));
    }

    /** The staleness bound. */
    public Duration staleness() {
        return Duration.ofMillis(getLong(STALENESS_CONFIG));
    }

    private static ConfigDef.Validator mappingValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                String text = entry.toString();
                int eq = text.lastIndexOf('=');
                if (eq <= 0 || eq == text.length() - 1) {
                    throw new ConfigException(name, text, "expected GLOB=RUNBOOK_ID");
                }
            }
        };
    }

    private static ConfigDef.Validator arnGlobValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                if (!entry.toString().startsWith("arn:")) {
                    throw new ConfigException(name, entry, "expected an ARN glob starting with arn:");
                }
                new GlobPattern(entry.toString());
            }
        };
    }

    private static ConfigDef.Validator webhookValidator() {
        return (name, value) -> {
            String url = value == null ? "" : value.toString();
            if (!url.isEmpty() && !url.startsWith("https://") && !url.startsWith("http://")) {
                throw new ConfigException(name, url, "expected an http(s) URL");
            }
        };
    }

    private static ConfigDef.Validator accountValidator() {
        return (name, value) -> {
            String account = value == null ? "" : value.toString();
            if (!account.isEmpty() && !account.matches("\\d{12}")) {
                throw new ConfigException(name, account, "expected a 12-digit AWS account id");
            }
        };
    }

    private static ConfigDef.Validator listOfAccountsValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                accountValidator().ensureValid(name, entry);
            }
        };
    }

    private static ConfigDef.Validator trustedKeysValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                String text = entry.toString();
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigException(name, text, "expected KEY_ID:PUBLIC_KEY");
                }
                try {
                    new RecordSignature(Map.of(text.substring(0, colon).trim(), Ed25519Keys.parsePublicKey(text.substring(colon + 1))));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, text, e.getMessage());
                }
            }
        };
    }

    private static ConfigDef.Validator keyValueValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                if (entry.toString().indexOf('=') <= 0) {
                    throw new ConfigException(name, entry, "expected KEY=VALUE");
                }
            }
        };
    }

    private static ConfigDef.Validator actionValidator() {
        return (name, value) -> {
            for (Object entry : (List<?>) value) {
                if (!entry.toString().matches("[a-z0-9-]+:[A-Za-z0-9*]+")) {
                    throw new ConfigException(name, entry, "expected an AWS action such as ec2:StopInstances");
                }
            }
        };
    }
}
