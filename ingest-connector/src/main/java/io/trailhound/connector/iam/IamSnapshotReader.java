package io.trailhound.connector.iam;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsCallFailedException;
import io.trailhound.connector.AwsReaderThread;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.OutputConfig;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.ListParentsResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetResponse;
import software.amazon.awssdk.services.organizations.model.Parent;
import software.amazon.awssdk.services.organizations.model.ParentType;
import software.amazon.awssdk.services.organizations.model.Policy;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyType;

/**
 * The IAM snapshot source's reader thread (no AWS call on Connect's poll thread): per account, when its snapshot is due,
 * reads GetAccountAuthorizationDetails to the end and (with an organizations role) the SCPs in effect, then queues the
 * entity records, the SCP record, tombstones for keys gone since the previous snapshot and the end-of-snapshot marker,
 * all with the same epoch. Every record carries the account's {@link SnapshotOffset}. AccessDenied on a part marks the
 * snapshot partial; throttling and 5xx are retried with {@link AwsRetries}' backoff; any other failure stops the reader
 * with the reason the task fails with.
 */
final class IamSnapshotReader extends AwsReaderThread {

    private static final Logger LOG = LoggerFactory.getLogger(IamSnapshotReader.class);
    private static final Duration MAX_SLEEP = Duration.ofMinutes(1);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IamSnapshotSourceConfig config;
    private final List<Account> accounts;
    private final OrganizationsClient organizations;
    private final OffsetStorageReader offsets;
    private final Clock clock;
    private final Map<String, SnapshotOffset> state = new HashMap<>();

    /** One account with the client of its member role. */
    record Account(String id, IamClient iam, AwsAuth auth) {
    }

    /** A part of the snapshot was refused: the text names the permission and the error code. */
    private static final class Denied extends Exception {
        private static final long serialVersionUID = 1L;

        Denied(String message) {
            super(message);
        }
    }

    IamSnapshotReader(IamSnapshotSourceConfig config, List<Account> accounts, OrganizationsClient organizations,
                      OffsetStorageReader offsets, BlockingQueue<SourceRecord> queue, AwsRetries retries, Clock clock) {
        super("IAM snapshot source", "reading IAM snapshots", queue, retries);
        this.config = config;
        this.accounts = List.copyOf(accounts);
        this.organizations = organizations;
        this.offsets = offsets;
        this.clock = clock;
    }

    /** The source partition of {@code account}. */
    static Map<String, String> partition(String account) {
        Map<String, String> partition = new HashMap<>();
        partition.put("account", account);
        return partition;
    }

    @Override
    protected void read() throws InterruptedException {
        for (Account account : accounts) {
            SnapshotOffset stored = SnapshotOffset.fromMap(offsets.offset(partition(account.id())));
            if (stored != null) {
                state.put(account.id(), stored);
                LOG.info("IAM snapshot of account {}: last epoch {} ({}), {} keys", account.id(), Instant.ofEpochMilli(stored.epoch()),
                    stored.done() ? "complete" : "interrupted: it is read again with the same epoch", stored.keys().size());
            }
        }
        while (running()) {
            long next = Long.MAX_VALUE;
            for (Account account : accounts) {
                if (!running()) {
                    break;
                }
                long due = due(account.id());
                if (due <= clock.millis()) {
                    state.put(account.id(), snapshot(account, state.get(account.id())));
                    due = due(account.id());
                }
                next = Math.min(next, due);
            }
            long wait = Math.max(0, next - clock.millis());
            pause(Duration.ofMillis(Math.min(wait, MAX_SLEEP.toMillis())));
        }
    }

    /** When the account's next snapshot starts: now for a first or interrupted one, else one interval after the last. */
    private long due(String account) {
        SnapshotOffset last = state.get(account);
        return last == null || !last.done() ? Long.MIN_VALUE : last.epoch() + config.interval().toMillis();
    }

    /** Reads and queues one snapshot of {@code account}; returns its final offset. */
    private SnapshotOffset snapshot(Account account, SnapshotOffset previous) throws InterruptedException {
        long epoch = previous != null && !previous.done() ? previous.epoch() : clock.millis();
        AccountSnapshot snapshot = new AccountSnapshot(account.id(), epoch, config.maxRecordBytes());
        try {
            readAuthorizationDetails(account, snapshot);
        } catch (Denied denied) {
            snapshot.entitiesIncomplete(denied.getMessage());
        }
        if (organizations != null) {
            try {
                snapshot.scps(readScps(account.id()));
            } catch (Denied denied) {
                snapshot.scpsIncomplete(denied.getMessage());
            }
        }
        Set<String> before = previous == null ? Set.of() : previous.keys();
        Set<String> live = SnapshotKeys.live(before, snapshot.written(), snapshot.dead().keySet(), snapshot.entitiesComplete(),
            snapshot.scpComplete());
        List<String> tombstones = SnapshotKeys.tombstones(before, live);
        Set<String> mayHold = new TreeSet<>(before);
        mayHold.addAll(live);
        Map<String, Object> writing = new SnapshotOffset(epoch, false, mayHold).toMap();
        Map<String, String> partition = partition(account.id());
        for (Map.Entry<String, String> value : snapshot.values().entrySet()) {
            put(record(partition, writing, config.topic(), account.id(), value.getKey(), value.getValue(), epoch, new ConnectHeaders()));
        }
        for (Map.Entry<String, AccountSnapshot.DeadEntity> dead : snapshot.dead().entrySet()) {
            put(deadLetter(partition, writing, account.id(), dead.getKey(), dead.getValue(), epoch));
        }
        for (String gone : tombstones) {
            put(record(partition, writing, config.topic(), account.id(), gone, null, epoch, new ConnectHeaders()));
        }
        SnapshotOffset done = new SnapshotOffset(epoch, true, live);
        String marker = snapshot.marker(ISO.format(Instant.ofEpochMilli(epoch)), ISO.format(clock.instant()));
        put(record(partition, done.toMap(), config.topic(), account.id(), SnapshotKeys.SNAPSHOT, marker, epoch, new ConnectHeaders()));
        LOG.info("IAM snapshot of account {} at epoch {}: {} records, {} dead-lettered, {} tombstones{}", account.id(),
            Instant.ofEpochMilli(epoch), snapshot.values().size(), snapshot.dead().size(), tombstones.size(),
            snapshot.entitiesComplete() && (organizations == null || snapshot.scpComplete()) && snapshot.dead().isEmpty()
                ? "" : " (partial)");
        return done;
    }

    /** GetAccountAuthorizationDetails, paged with Marker until IsTruncated is false. */
    private void readAuthorizationDetails(Account account, AccountSnapshot snapshot) throws InterruptedException, Denied {
        String marker = null;
        AwsCall what = AwsCall.iam("GetAccountAuthorizationDetails", account.id());
        do {
            String from = marker;
            GetAccountAuthorizationDetailsResponse page = call(() -> account.iam().getAccountAuthorizationDetails(
                r -> r.maxItems(config.pageSize()).marker(from)), what, account.auth());
            add(snapshot, "User", page.userDetailList());
            add(snapshot, "Group", page.groupDetailList());
            add(snapshot, "Role", page.roleDetailList());
            add(snapshot, "Policy", page.policies());
            marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
        } while (marker != null && !marker.isEmpty());
    }

    private static void add(AccountSnapshot snapshot, String kind, List<? extends SdkPojo> entities) {
        entities.forEach(entity -> snapshot.entity(kind, PolicyDocuments.toJson(entity)));
    }

    /** The SCP levels of {@code account} from the root down: root, each OU, the account itself. */
    private List<List<ObjectNode>> readScps(String account) throws InterruptedException, Denied {
        List<String> targets = new ArrayList<>();
        targets.add(account);
        String child = account;
        while (true) {
            String of = child;
            ListParentsResponse parents = call(() -> organizations.listParents(r -> r.childId(of)),
                AwsCall.organizations("ListParents", of), null);
            if (parents.parents().isEmpty()) {
                break;
            }
            Parent parent = parents.parents().get(0);
            targets.add(0, parent.id());
            if (parent.type() == ParentType.ROOT) {
                break;
            }
            child = parent.id();
        }
        Map<String, ObjectNode> described = new LinkedHashMap<>();
        List<List<ObjectNode>> levels = new ArrayList<>();
        for (String target : targets) {
            levels.add(policiesOf(target, described));
        }
        return levels;
    }

    private List<ObjectNode> policiesOf(String target, Map<String, ObjectNode> described) throws InterruptedException, Denied {
        List<ObjectNode> level = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListPoliciesForTargetResponse page = call(() -> organizations.listPoliciesForTarget(r -> r.targetId(target)
                .filter(PolicyType.SERVICE_CONTROL_POLICY).nextToken(from)), AwsCall.organizations("ListPoliciesForTarget", target), null);
            for (PolicySummary summary : page.policies()) {
                ObjectNode policy = described.get(summary.id());
                if (policy == null) {
                    policy = describe(summary.id());
                    described.put(summary.id(), policy);
                }
                level.add(policy);
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return level;
    }

    private ObjectNode describe(String policyId) throws InterruptedException, Denied {
        Policy policy = call(() -> organizations.describePolicy(r -> r.policyId(policyId)).policy(),
            AwsCall.organizations("DescribePolicy", policyId), null);
        ObjectNode node = JSON.createObjectNode().put("PolicyId", policyId).put("Name", policy.policySummary().name());
        try {
            node.set("Content", PolicyDocuments.decode(policy.content()));
        } catch (IllegalArgumentException e) {
            throw new AwsCallFailedException(new AwsFailure(AwsFailure.Kind.PERMANENT, "", 200, e.getMessage()),
                "Organizations answered DescribePolicy of " + policyId + " with content that is not a JSON policy: " + e.getMessage(), e);
        }
        return node;
    }

    private SourceRecord record(Map<String, String> partition, Map<String, Object> offset, String topic, String account, String suffix,
                                String value, long epoch, ConnectHeaders headers) {
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, SnapshotKeys.key(account, suffix),
            Schema.OPTIONAL_STRING_SCHEMA, value, epoch, headers);
    }

    private SourceRecord deadLetter(Map<String, String> partition, Map<String, Object> offset, String account, String suffix,
                                    AccountSnapshot.DeadEntity dead, long epoch) {
        LOG.warn("Dead-lettering IAM entity {} of account {}: {}", suffix, account, dead.reason());
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(DeadLetters.LOCATION, "iam:" + account + ":" + suffix);
        headers.addString(DeadLetters.REASON, dead.reason());
        headers.addString(DeadLetters.COMPONENT, OutputConfig.COMPONENT);
        return record(partition, offset, config.deadLetterTopic(), account, suffix, dead.value(), epoch, headers);
    }

    /**
     * Runs a call until it succeeds; AccessDenied (or a refused role assumption) throws {@link Denied}, retryable failures
     * back off, others throw {@link AwsCallFailedException}.
     */
    private <T> T call(Supplier<T> call, AwsCall what, AwsAuth auth) throws InterruptedException, Denied {
        return callChecked(call, what, (classified, e) -> {
            if (classified.kind() == AwsFailure.Kind.PERMANENT
                && (classified.status() == 403 || classified.code().startsWith("AccessDenied"))) {
                Optional<String> role = AwsAuth.roleFailure(e);
                throw new Denied(role.isPresent()
                    ? "sts:AssumeRole " + (auth == null ? "" : "on " + auth.roleArn() + " ") + classified.code() + ": " + role.get()
                    : what.permission() + " " + classified.code() + ": " + classified.message());
            }
        });
    }
}
