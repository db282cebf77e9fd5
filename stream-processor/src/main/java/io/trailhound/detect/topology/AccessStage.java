package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.AccessSummary;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.IamChanges;
import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotRecords;
import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;

/**
 * The access stage (#15), one task, off the alerts' path. Keeps the records of {@code trailhound.iam.snapshots} in
 * {@link #RECORDS_STORE} (a tombstone deletes), applies the IAM changes the principal tasks route to it ({@link #changeValue},
 * key {@link #CHANGE_KEY}) to those records ({@link IamChanges}), and, on a wall-clock punctuator, when anything changed since
 * the last time, rebuilds the access graph and forwards every principal summary that differs from the one published
 * ({@link #PUBLISHED_STORE}; a tombstone for a principal that left the graph) and, for changes that came from CloudTrail, the
 * TH-ACC alerts ({@link AccessAlerts}). A burst of records is one rebuild. Records it cannot read are left out of the graph
 * and named in its {@code unsupported}, never a failure; an IAM change it cannot apply is logged with the reason.
 */
final class AccessStage implements Processor<String, String, String, AccessStage.Output> {

    /** Snapshot records by key, plus pending changes under {@link #PENDING}. */
    static final String RECORDS_STORE = "access-records-store";
    /** The summary published per principal ARN (JSON), what the next rebuild compares with. */
    static final String PUBLISHED_STORE = "access-published-store";
    /** Key of the IAM changes on their way to this stage. */
    static final String CHANGE_KEY = "~change";
    /** Prefix of the changes applied since the last rebuild, kept in the records store so a restart still raises their alerts. */
    static final String PENDING = "~pending|";
    private static final String DIRTY = "~dirty";

    private static final Logger LOG = LoggerFactory.getLogger(AccessStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stage forwards: a summary to publish (value null: tombstone) or an alert. */
    record Output(String summary, Alert alert) {
    }

    private final Duration debounce;
    private final int maxHops;
    private final AccessAlerts alerts;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, String> records;
    private KeyValueStore<String, String> published;

    AccessStage(Duration debounce, int maxHops, AccessAlerts alerts) {
        this.debounce = debounce;
        this.maxHops = maxHops;
        this.alerts = alerts;
    }

    /** The value an IAM change event travels in to this stage: the few fields {@link IamChanges} needs, as JSON. */
    static String changeValue(CloudTrailEvent e) {
        ObjectNode o = JSON.createObjectNode().put("eventId", e.getEventId()).put("eventName", e.getEventName())
            .put("accountId", e.getRecipientAccountId()).put("eventTime", e.getEventTime().toEpochMilli())
            .put("region", e.getAwsRegion()).put("requestParameters", e.getRequestParameters())
            .put("responseElements", e.getResponseElements());
        o.put("actor", e.getPrincipal() == null ? null : e.getPrincipal().getArn());
        return o.toString();
    }

    /** True for a successful IAM change the stage applies. */
    static boolean isChange(CloudTrailEvent e) {
        return e.getErrorCode() == null && IamChanges.understands(e.getEventSource(), e.getEventName());
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.records = context.getStateStore(RECORDS_STORE);
        this.published = context.getStateStore(PUBLISHED_STORE);
        context.schedule(debounce, PunctuationType.WALL_CLOCK_TIME, now -> rebuildSafely());
    }

    /**
     * A rebuild that fails (a defect, never bad input: unreadable records are left out) is logged and not retried until the
     * next record, so it cannot turn into a crash loop; the summaries published stay as they were.
     */
    private void rebuildSafely() {
        try {
            rebuildIfChanged();
        } catch (RuntimeException e) {
            LOG.error("access graph rebuild failed; the published summaries stay as they were until the next IAM record", e);
            records.delete(DIRTY);
        }
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (CHANGE_KEY.equals(record.key())) {
            change(record.value());
        } else if (record.key().startsWith("~")) {
            LOG.warn("IAM snapshot record with reserved key {} ignored", record.key());
            return;
        } else if (record.value() == null) {
            records.delete(record.key());
        } else {
            records.put(record.key(), record.value());
        }
        records.put(DIRTY, "1");
    }

    private void change(String value) {
        JsonNode c;
        try {
            c = JSON.readTree(value);
        } catch (java.io.IOException e) {
            LOG.warn("unreadable IAM change record ignored: {}", e.getMessage());
            return;
        }
        IamChanges.Outcome outcome = IamChanges.apply(new StoreRecords(records), c.path("accountId").asText(),
            c.path("eventName").asText(), c.path("eventTime").asLong(), text(c, "requestParameters"), text(c, "responseElements"));
        if (outcome.changed()) {
            records.put(PENDING + c.path("eventTime").asLong() + "|" + c.path("eventId").asText(), value);
        } else {
            LOG.info("IAM change {} {} not applied: {}", c.path("eventName").asText(), c.path("eventId").asText(), outcome.detail());
        }
    }

    private static String text(JsonNode c, String field) {
        return c.path(field).isTextual() ? c.get(field).asText() : null;
    }

    /** Rebuilds the graph when a record or change came in since the last rebuild. */
    void rebuildIfChanged() {
        if (records.get(DIRTY) == null) {
            return;
        }
        long started = System.nanoTime();
        Map<String, String> snapshot = new HashMap<>();
        List<JsonNode> pending = new ArrayList<>();
        try (KeyValueIterator<String, String> all = records.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> kv = all.next();
                if (kv.key.startsWith(PENDING)) {
                    pending.add(readQuietly(kv.value));
                } else if (!kv.key.startsWith("~")) {
                    snapshot.put(kv.key, kv.value);
                }
            }
        }
        SnapshotRecords.Built built = SnapshotRecords.build(snapshot, SnapshotOptions.defaults());
        AccessGraph graph = GraphBuilder.build(built.snapshot());
        Map<String, AccessSummary> now = AccessSummary.of(graph, built, maxHops);
        Map<String, AccessSummary> before = publishedSummaries();
        long timestamp = context.currentSystemTimeMs();
        int changed = 0;
        for (Map.Entry<String, AccessSummary> e : now.entrySet()) {
            AccessSummary old = before.get(e.getKey());
            if (old == null || !old.sameAccess(e.getValue()) || old.snapshotEpoch() != e.getValue().snapshotEpoch()) {
                String json = e.getValue().toJson();
                published.put(e.getKey(), json);
                context.forward(new Record<>(e.getKey(), new Output(json, null), timestamp));
                changed++;
            }
        }
        for (String gone : before.keySet()) {
            if (!now.containsKey(gone)) {
                published.delete(gone);
                context.forward(new Record<>(gone, new Output(null, null), timestamp));
            }
        }
        pending.removeIf(p -> p == null);
        if (!pending.isEmpty() && !before.isEmpty()) {
            for (Alert alert : alerts.of(before, now, pending)) {
                context.forward(new Record<>(alert.getAlertId(), new Output(null, alert), timestamp));
            }
        }
        try (KeyValueIterator<String, String> done = records.prefixScan(PENDING, new StringSerializer())) {
            List<String> keys = new ArrayList<>();
            done.forEachRemaining(kv -> keys.add(kv.key));
            keys.forEach(records::delete);
        }
        records.delete(DIRTY);
        LOG.info("access graph rebuilt: {} principals, {} edges, {} summaries changed, {} IAM changes, {} ms", now.size(),
            graph.edges().size(), changed, pending.size(), (System.nanoTime() - started) / 1_000_000);
    }

    private Map<String, AccessSummary> publishedSummaries() {
        Map<String, AccessSummary> all = new TreeMap<>();
        try (KeyValueIterator<String, String> it = published.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                try {
                    all.put(kv.key, AccessSummary.fromJson(kv.value));
                } catch (IllegalArgumentException e) {
                    LOG.warn("unreadable published summary of {} replaced: {}", kv.key, e.getMessage());
                }
            }
        }
        return all;
    }

    private static JsonNode readQuietly(String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The records store as {@link IamChanges} reads and writes it. */
    private static final class StoreRecords implements IamChanges.Records {

        private final KeyValueStore<String, String> store;

        StoreRecords(KeyValueStore<String, String> store) {
            this.store = store;
        }

        @Override
        public String get(String key) {
            return store.get(key);
        }

        @Override
        public void put(String key, String value) {
            store.put(key, value);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public List<String> keys(String prefix) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, String> it = store.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            return keys;
        }
    }
}
