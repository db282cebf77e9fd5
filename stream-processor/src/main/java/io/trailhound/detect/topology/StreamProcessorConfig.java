package io.trailhound.detect.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import io.trailhound.avro.Mode;
import io.trailhound.avro.Severity;
import io.trailhound.detect.environment.AwsIpRanges;
import io.trailhound.detect.environment.Environment;
import io.trailhound.detect.environment.Organization;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.topic.Topics;

/** Typed, validated configuration of the stream processor; unknown {@code trailhound.} keys and invalid values fail at start-up. */
public final class StreamProcessorConfig extends AbstractConfig {

    public static final String APPLICATION_ID_CONFIG = "application.id";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String MODE_CONFIG = "trailhound.mode";
    public static final String DEDUP_WINDOW_MS_CONFIG = "trailhound.dedup.window.ms";
    public static final String SUPPRESSION_WINDOW_MS_CONFIG = "trailhound.suppression.window.ms";
    public static final String RULES_DISABLED_CONFIG = "trailhound.rules.disabled";
    public static final String RULES_SHADOW_CONFIG = "trailhound.rules.shadow";
    public static final String SHARED_ROLE_PATTERNS_CONFIG = "trailhound.principal.shared.role.patterns";
    public static final String MAX_RECORD_BYTES_CONFIG = "trailhound.max.record.bytes";
    public static final String LINEAGE_TOPIC_CONFIG = "trailhound.lineage.topic";
    public static final String LEARNING_PERIOD_MS_CONFIG = "trailhound.baseline.learning.period.ms";
    public static final String HTTP_PORT_CONFIG = "trailhound.http.port";
    public static final String INCIDENT_GAP_MS_CONFIG = "trailhound.incident.gap.ms";
    public static final String ORGANIZATION_ACCOUNTS_CONFIG = "trailhound.organization.accounts";
    public static final String AWS_IP_RANGES_FILE_CONFIG = "trailhound.aws.ip.ranges.file";
    public static final String AUTOMATION_PRINCIPALS_CONFIG = "trailhound.automation.principals";
    public static final String CORROBORATION_WINDOW_MS_CONFIG = "trailhound.baseline.corroboration.window.ms";
    public static final String FOLLOWUP_WINDOW_MS_CONFIG = "trailhound.followup.window.ms";
    public static final String FOLLOWUP_MAX_HELD_CONFIG = "trailhound.followup.max.held";
    public static final String SIGNING_KEY_FILE_CONFIG = "trailhound.signing.key.file";
    public static final String SIGNING_KEY_ID_CONFIG = "trailhound.signing.key.id";
    public static final String SIGNING_REQUIRED_CONFIG = "trailhound.signing.required";
    public static final String ALERTS_MIN_SEVERITY_CONFIG = "trailhound.alerts.min.severity";
    public static final String ACCESS_REBUILD_INTERVAL_MS_CONFIG = "trailhound.access.rebuild.interval.ms";
    public static final String ACCESS_MAX_HOPS_CONFIG = "trailhound.access.max.hops";
    public static final String ACCESS_ENABLED_CONFIG = "trailhound.access.enabled";
    public static final String ROCKSDB_MEMORY_BYTES_CONFIG = BoundedRocksDbMemory.MEMORY_BYTES_CONFIG;
    public static final String STATE_DIR_CONFIG = "state.dir";
    public static final String NUM_STANDBY_REPLICAS_CONFIG = "num.standby.replicas";
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";

    private static final String PREFIX = "trailhound.";
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(APPLICATION_ID_CONFIG, Type.STRING, "trailhound-stream-processor", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: consumer group, state and internal topic prefix.")
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "localhost:9092", Importance.HIGH,
                    "Kafka bootstrap servers, host:port, comma separated.")
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "http://localhost:8081", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Base URL of the Confluent-compatible schema registry for the Avro topics.")
            .define(MODE_CONFIG, Type.STRING, Mode.LIVE.name(), ConfigDef.ValidString.in(Mode.LIVE.name(), Mode.REPLAY.name()),
                    Importance.HIGH, "Mode stamped on every alert: LIVE for the always-on pipeline, REPLAY for replays and scans.")
            .define(DEDUP_WINDOW_MS_CONFIG, Type.LONG, Duration.ofHours(24).toMillis(), ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Event-time window within which a second record with the same eventID and eventTime is dropped.")
            .define(SUPPRESSION_WINDOW_MS_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, "Event-time window within which the same rule on the same principal and entity is one alert.")
            .define(RULES_DISABLED_CONFIG, Type.LIST, "", Importance.MEDIUM, "Rule ids that are not evaluated at all.")
            .define(RULES_SHADOW_CONFIG, Type.LIST, "", Importance.MEDIUM,
                    "Rule ids evaluated and counted (logged) but not emitted as alerts.")
            .define(SHARED_ROLE_PATTERNS_CONFIG, Type.LIST, "AWSReservedSSO_.*", Importance.MEDIUM,
                    "Regular expressions of role names shared by many people (SSO permission sets, SAML roles): keyed on role + session.")
            .define(MAX_RECORD_BYTES_CONFIG, Type.INT, 1_048_576, ConfigDef.Range.between(1024, 16 * 1_048_576), Importance.LOW,
                    "Raw records larger than this many bytes go to the dead-letter topic unparsed.")
            .define(LEARNING_PERIOD_MS_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Event time a principal is observed before values new to it raise baseline alerts (0: from its second event).")
            .define(INCIDENT_GAP_MS_CONFIG, Type.LONG, Duration.ofHours(24).toMillis(), ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Inactivity gap (event time) after which alerts of the same principal chain or entity open a new incident; also "
                    + "the window in which a GuardDuty finding and CloudTrail alerts on the same entity are correlated.")
            .define(ORGANIZATION_ACCOUNTS_CONFIG, Type.LIST, "", StreamProcessorConfig::validateAccounts, Importance.MEDIUM,
                    "Account ids of the monitored organization: another account of it is not foreign to a resource policy or a "
                    + "role hop. Accounts an organization trail delivers logs for (AWSLogs/o-<id>/<account>/ in the record's S3 key "
                    + "header) are learned as well; list them here to be certain from the first event.")
            .define(AWS_IP_RANGES_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    "AWS's ip-ranges.json (plain or .gz) to judge addresses by; empty: the copy bundled with this release. "
                    + "Refresh: curl -o ip-ranges.json https://ip-ranges.amazonaws.com/ip-ranges.json")
            .define(AUTOMATION_PRINCIPALS_CONFIG, Type.LIST, "", Importance.LOW,
                    "User or role ARN patterns (* matches anything) of automation identities: CI/CD deploy roles, infrastructure "
                    + "as code, scanners. Rules read it as context.automation.")
            .define(CORROBORATION_WINDOW_MS_CONFIG, Type.LONG, Duration.ofHours(24).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How long a principal's new network or client corroborates its other novelties (a first role, "
                    + "a first account): within this event time they are alerts, otherwise signals.")
            .define(FOLLOWUP_WINDOW_MS_CONFIG, Type.LONG, Duration.ofMinutes(10).toMillis(),
                    ConfigDef.Range.between(1, Duration.ofDays(1).toMillis()), Importance.MEDIUM,
                    "Event time within which a hit of a rule that waits for a follow-up (TH-CON-011: an MFA device removed) must "
                    + "be repaired (a new device enabled for that user) to raise nothing; after it the hit is an alert.")
            .define(FOLLOWUP_MAX_HELD_CONFIG, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most hits held while waiting for their follow-up; beyond it the oldest is raised at once (state stays "
                    + "bounded, nothing is dropped).")
            .define(ALERTS_MIN_SEVERITY_CONFIG, Type.STRING, Severity.MEDIUM.name(),
                    ConfigDef.ValidString.in(Arrays.stream(Severity.values()).map(Enum::name).toArray(String[]::new)), Importance.MEDIUM,
                    "Lowest severity written to trailhound.alerts (what an analyst or the responder acts on); rule hits below it "
                    + "go to trailhound.signals. Incidents are built from both.")
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(0, 65535), Importance.MEDIUM,
                    "Port of /healthy, /ready and /metrics (0: any free port).")
            .define(LINEAGE_TOPIC_CONFIG, Type.STRING, Topics.LINEAGE, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Compacted topic of credential chains by access key id (feeds the global lineage store); create it before start.")
            .define(SIGNING_KEY_FILE_CONFIG, Type.STRING, "", Importance.HIGH,
                    "Ed25519 private key (PKCS#8 PEM, 'trailhound keygen detector' writes one) signing every alert and incident "
                    + "record (headers trailhound.signature, trailhound.signature.key); the responder acts only on records "
                    + "signed by a key it trusts. Empty: records leave unsigned.")
            .define(SIGNING_KEY_ID_CONFIG, Type.STRING, "detect-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Id of the signing key, as the responder's responder.alerts.trusted.keys names it (KEY_ID:PUBLIC_KEY).")
            .define(SIGNING_REQUIRED_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
                    "The live application refuses to start without trailhound.signing.key.file (its alerts would be refused by "
                    + "a responder requiring signatures). false only for development; scans and replays never need a key.")
            .define(ACCESS_REBUILD_INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.between(100, Duration.ofMinutes(10).toMillis()),
                    Importance.LOW, "Wall-clock interval at which the access stage rebuilds the access graph when IAM snapshot "
                    + "records or IAM changes came in since the last rebuild: a burst of changes is one rebuild.")
            .define(ACCESS_MAX_HOPS_CONFIG, Type.INT, 5, ConfigDef.Range.between(1, 10), Importance.LOW,
                    "Most hops the access stage searches from each principal for its blast-radius summary.")
            .define(ACCESS_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                    "Whether the live application runs the access stage and stamps every alert with its principal's access "
                    + "summary (#15). false: neither (alerts carry no accessSummary; bench access compares both).")
            .define(ROCKSDB_MEMORY_BYTES_CONFIG, Type.LONG, BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES,
                    ConfigDef.Range.atLeast(BoundedRocksDbMemory.MIN_MEMORY_BYTES), Importance.MEDIUM,
                    "Off-heap bytes all RocksDB state stores of the process share (block cache, memtables, index and filter "
                    + "blocks; BoundedRocksDbMemory). Size the container as heap + this + about 300 MiB. Not applied when "
                    + "rocksdb.config.setter names another setter.")
            .define(STATE_DIR_CONFIG, Type.STRING, "/tmp/trailhound-streams", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Directory of the local state stores; put it on a persistent volume.")
            .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Standby replicas of each state store for fast fail-over.")
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Kafka Streams commit interval; each transactional hop adds about one interval of latency.");

    /** Parses and validates {@code originals}; also checks rule ids against {@code catalog}. */
    public StreamProcessorConfig(Map<String, ?> originals, RuleCatalog catalog) {
        super(CONFIG, originals, false);
        for (String key : originals.keySet()) {
            if (key.startsWith(PREFIX) && !CONFIG.names().contains(key)) {
                throw new ConfigException("Unknown configuration '" + key + "'; known keys: " + CONFIG.names());
            }
        }
        for (String key : List.of(RULES_DISABLED_CONFIG, RULES_SHADOW_CONFIG)) {
            for (String id : getList(key)) {
                if (catalog.rule(id) == null) {
                    throw new ConfigException(key, id, "no rule has this id");
                }
            }
        }
        sharedRolePatterns();
        String ranges = getString(AWS_IP_RANGES_FILE_CONFIG);
        if (!ranges.isBlank() && !Files.isReadable(Path.of(ranges))) {
            throw new ConfigException(AWS_IP_RANGES_FILE_CONFIG, ranges, "no readable file there");
        }
    }

    private static void validateAccounts(String name, Object value) {
        for (Object account : (List<?>) value) {
            if (!String.valueOf(account).matches("\\d{12}")) {
                throw new ConfigException(name, account, "not a twelve-digit AWS account id");
            }
        }
    }

    /** What detection knows of the environment: AWS's ranges (bundled or the configured file), accounts, automation. */
    public Environment environment() {
        String file = getString(AWS_IP_RANGES_FILE_CONFIG);
        AwsIpRanges ranges = file.isBlank() ? AwsIpRanges.builtIn() : AwsIpRanges.read(Path.of(file));
        return new Environment(ranges, new Organization(getList(ORGANIZATION_ACCOUNTS_CONFIG)),
                getList(AUTOMATION_PRINCIPALS_CONFIG).stream().map(Environment::glob).toList());
    }

    /** How long a hit that waits for a follow-up is held before it is an alert (TH-CON-011). */
    public Duration followUpWindow() {
        return Duration.ofMillis(getLong(FOLLOWUP_WINDOW_MS_CONFIG));
    }

    /** Most hits held at once while waiting for their follow-up. */
    public int followUpMaxHeld() {
        return getInt(FOLLOWUP_MAX_HELD_CONFIG);
    }

    /** How long a new network or client corroborates a principal's other novelties. */
    public Duration corroborationWindow() {
        return Duration.ofMillis(getLong(CORROBORATION_WINDOW_MS_CONFIG));
    }

    /**
     * The signer of alert and incident records, from {@link #SIGNING_KEY_FILE_CONFIG}; empty when no key is configured.
     *
     * @throws ConfigException when the key file cannot be read or holds no Ed25519 private key
     */
    public Optional<RecordSigner> recordSigner() {
        String file = getString(SIGNING_KEY_FILE_CONFIG);
        if (file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordSigner(getString(SIGNING_KEY_ID_CONFIG), Ed25519Keys.readPrivateKey(Path.of(file))));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(SIGNING_KEY_FILE_CONFIG, file, "cannot read the signing key: " + e);
        }
    }

    /** A copy of the definition of every key, for documentation and tests. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Lowest severity that is an alert rather than a signal. */
    public Severity alertsMinSeverity() {
        return Severity.valueOf(getString(ALERTS_MIN_SEVERITY_CONFIG));
    }

    /** Mode stamped on alerts. */
    public Mode mode() {
        return Mode.valueOf(getString(MODE_CONFIG));
    }

    /** Dedup window. */
    public Duration dedupWindow() {
        return Duration.ofMillis(getLong(DEDUP_WINDOW_MS_CONFIG));
    }

    /** Suppression window. */
    public Duration suppressionWindow() {
        return Duration.ofMillis(getLong(SUPPRESSION_WINDOW_MS_CONFIG));
    }

    /** Ids of switched-off rules. */
    public Set<String> disabledRules() {
        return Set.copyOf(getList(RULES_DISABLED_CONFIG));
    }

    /** Ids of shadow rules. */
    public Set<String> shadowRules() {
        return Set.copyOf(getList(RULES_SHADOW_CONFIG));
    }

    /** Compiled shared-role patterns. */
    public List<Pattern> sharedRolePatterns() {
        try {
            return getList(SHARED_ROLE_PATTERNS_CONFIG).stream().map(Pattern::compile).toList();
        } catch (PatternSyntaxException e) {
            throw new ConfigException(SHARED_ROLE_PATTERNS_CONFIG, e.getPattern(), "not a regular expression: " + e.getDescription());
        }
    }

    /** Baseline learning period per principal. */
    public Duration learningPeriod() {
        return Duration.ofMillis(getLong(LEARNING_PERIOD_MS_CONFIG));
    }

    /** Topic of credential chains. */
    public String lineageTopic() {
        return getString(LINEAGE_TOPIC_CONFIG);
    }

    /** Inactivity gap that closes an incident for new alerts. */
    public Duration incidentGap() {
        return Duration.ofMillis(getLong(INCIDENT_GAP_MS_CONFIG));
    }

    /** How often the access stage rebuilds the graph when something changed. */
    public Duration accessRebuildInterval() {
        return Duration.ofMillis(getLong(ACCESS_REBUILD_INTERVAL_MS_CONFIG));
    }

    /** Whether the live application runs the access stage and enriches alerts with access summaries. */
    public boolean accessEnabled() {
        return getBoolean(ACCESS_ENABLED_CONFIG);
    }

    /** Most hops of a blast-radius search. */
    public int accessMaxHops() {
        return getInt(ACCESS_MAX_HOPS_CONFIG);
    }

    /** Maximum raw record size. */
    public int maxRecordBytes() {
        return getInt(MAX_RECORD_BYTES_CONFIG);
    }
}
