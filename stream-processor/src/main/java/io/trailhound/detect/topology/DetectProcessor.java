package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.detect.baseline.BaselineDimension;
import io.trailhound.detect.baseline.PrincipalBaseline;
import io.trailhound.detect.environment.Environment;
import io.trailhound.detect.environment.Organization;
import io.trailhound.detect.lineage.CredentialLineage;
import io.trailhound.detect.lineage.FederatedSubject;
import io.trailhound.detect.lineage.MintedCredential;
import io.trailhound.detect.rules.AlertFactory;
import io.trailhound.detect.rules.EventView;
import io.trailhound.detect.rules.Rule;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.BoundedCache;

/**
 * Evaluates the signature and rate rules on each principal's events and emits alerts, folding repeats of the same rule on the
 * same principal and entity within the suppression window into one alert with a count (same alert id, re-emitted).
 */
final class DetectProcessor implements Processor<String, CloudTrailEvent, String, Alert>, EventClock.Owner {

    static final String SUPPRESSION_STORE = "alert-suppression-store";
    static final String RATE_STORE = "rate-store";
    static final String BASELINE_STORE = "baseline-store";
    static final int MAX_EVENT_IDS = 50;
    /** Context fact and entity key prefix: the subjects a role served before a federated sign-in (#18). */
    static final String SERVED_SUBJECTS = "servedSubjects";

    /** Header of a raw CloudTrail record naming the S3 object it came from (the connector's {@code key}). */
    static final String ORIGIN_KEY_HEADER = "key";

    private static final Logger LOG = LoggerFactory.getLogger(DetectProcessor.class);
    /** Most decoded baselines kept in memory (least recently used go first); about 1 KB each. */
    private static final int DECODED_BASELINES = 16_384;
    /** Least stream time between purges of expired suppressions and rate counters. */
    private static final Duration MIN_PURGE_INTERVAL = Duration.ofMinutes(5);
    private static final Duration IDLE_INTERVAL = Duration.ofHours(6);
    /** Stream time between two ticks to the follow-up processor while a hit this task sent may still be waiting there. */
    private static final Duration TICK_INTERVAL = Duration.ofMinutes(1);
    /** Dimensions a role's federation baseline judges; the subject's own baseline judges the others. */
    private static final Set<BaselineDimension> FEDERATION = EnumSet.of(BaselineDimension.FEDERATED_SUBJECT,
            BaselineDimension.SUBJECT_NAMESPACE);

    private final RuleCatalog catalog;
    private final AlertFactory alerts;
    private final Duration suppressionWindow;
    private final Set<String> disabled;
    private final Set<String> shadow;
    private final RateCounter rates = new RateCounter();
    private final SequenceTracker sequences = new SequenceTracker();
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Alert> suppression;
    private KeyValueStore<String, String> rateStore;
    private CredentialLineage lineage;
    private KeyValueStore<String, byte[]> baselines;
    /**
     * The baselines of the store already decoded, each as {@link PrincipalBaseline#read} gives it from the stored bytes: an
     * event that changes nothing (most events) leaves its baseline as it was, one that changes it replaces it with the read of
     * what it wrote. So a principal's events decode its baseline once, not on every event. Made anew by {@link #init}, so a
     * task re-initialized after its stores were restored or rolled back starts from the store.
     */
    private BoundedCache<String, PrincipalBaseline> decoded;
    /** See {@link #suppressed()}; null until first read (made anew by {@link #init}, as {@link #decoded}). */
    private Map<String, Long> suppressedLastSeen;
    private final Duration learningPeriod;
    private final Duration corroborationWindow;
    private final DetectionMetrics metrics;
    private final Environment environment;
    private InstanceAddresses instanceAddresses;
    private final Duration followUpWindow;
    /**
     * Event time until which a hit this task held may still be waiting for its follow-up (0: none): while it is, this task
     * sends its event clock to the follow-up processor every minute of that clock. Not stored: after a restart the held
     * hits wait for the next alert to pass the incident partition instead (state itself is changelogged, nothing is lost).
     */
    private long heldUntil;
    /**
     * The due times (event time) of the hits this task sent to wait for a follow-up and that its clock has not passed yet:
     * when the clock passes one, a tick goes at once ({@link #tickOnDue}), on the record that passes it. The
     * minute's ticks alone can come up to a minute of event time late, and at the end of a scanned file there is no later
     * record. Not stored, as {@link #heldUntil}.
     */
    private final TreeSet<Long> dues = new TreeSet<>();
    /**
     * Purges and forgetting judge ages on this clock ({@link EventClock}; the records' timestamps are event times, set by
     * normalization): on the task's stream time a purge dropped suppressions and rate counters still inside their event-time
     * windows, and a restarted task's first punctuation made it raise new alerts for repeats an uninterrupted run counted
     * (#17, {@code bench faults} processor-kill).
     */
    private EventClock clock = new EventClock();
    /** The origin key the organization last learned from (see {@link #learnOrganization}). */
    private byte[] learnedOrigin;

    DetectProcessor(RuleCatalog catalog, AlertFactory alerts, StreamProcessorConfig config, DetectionMetrics metrics,
                    Environment environment) {
        this.metrics = metrics;
        this.environment = environment;
        this.corroborationWindow = config.corroborationWindow();
        this.catalog = catalog;
        this.alerts = alerts;
        this.suppressionWindow = config.suppressionWindow();
        this.disabled = config.disabledRules();
        this.shadow = config.shadowRules();
        this.learningPeriod = config.learningPeriod();
        this.followUpWindow = config.followUpWindow();
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.suppression = context.getStateStore(SUPPRESSION_STORE);
        this.rateStore = context.getStateStore(RATE_STORE);
        this.lineage = new CredentialLineage(context.getStateStore(LineageProcessor.MINTED_STORE),
                context.getStateStore(DetectionTopology.LINEAGE_STORE));
        this.baselines = context.getStateStore(BASELINE_STORE);
        this.decoded = new BoundedCache<>(DECODED_BASELINES);
        this.suppressedLastSeen = null;
        this.instanceAddresses = new InstanceAddresses(context.getStateStore(InstanceAddresses.STORE));
        // expired entries are harmless until purged (every use checks its time), so a quarter of the window is often enough:
        // each purge reads every suppressed alert, and a replay of history runs through days of stream time in minutes
        Duration quarter = suppressionWindow.dividedBy(4);
        // on the event clock, at the end of the record that moves it ({@link EventClock#every}), not as punctuations
        clock.every(quarter.compareTo(MIN_PURGE_INTERVAL) > 0 ? quarter : MIN_PURGE_INTERVAL, this::purge);
        clock.every(IDLE_INTERVAL, this::forgetIdle);
        clock.every(TICK_INTERVAL, this::tick);
    }

    /**
     * Tells the follow-up processor the time on the event clock while a hit this task held may be waiting (see
     * {@link #heldUntil}), each minute of that clock. Not the task's stream time: the raw records' append times set it,
     * ahead of event time by the delivery delay (minutes for trail files), so a tick on it released a held hit before a
     * follow-up still on its way in event time (a new MFA device enabled in time) could repair it.
     */
    private void tick(long now) {
        if (heldUntil == 0) {
            return;
        }
        context.forward(new Record<>(FollowUpProcessor.TICK, null, now));
        if (now > heldUntil) {
            heldUntil = 0;
        }
    }

    /** Drops the baselines of principals idle for longer than {@link PrincipalBaseline#FORGET_AFTER}, so state stays bounded. */
    private void forgetIdle(long now) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = baselines.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                // the header says when the principal was last seen: no need to read its values (one that does not read is
                // dropped, as one whose body does not read would be relearned at its next event anyway)
                if (isIdle(kv.key, kv.value, now)) {
                    idle.add(kv.key);
                }
            }
        }
        for (String key : idle) {
            baselines.delete(key);
            decoded.remove(key);
        }
        instanceAddresses.purge(now);
    }

    private static boolean isIdle(String principalKey, byte[] stored, long streamTime) {
        try {
            return streamTime - PrincipalBaseline.lastSeenOf(stored) > PrincipalBaseline.FORGET_AFTER.toMillis();
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable baseline of {} dropped: {}", principalKey, e.getMessage());
            return true;
        }
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        long before = clock.now();
        clock.observe(record.timestamp());
        learnOrganization(record);
        EventView view = new EventView(record.value(), environment);
        Map<BaselineDimension, PrincipalBaseline.Novelty> novel = observe(record.key(), view);
        String instanceVerdict = instanceAddresses.judge(view);
        if (instanceVerdict != null) {
            view.putContext("instanceAddress", instanceVerdict);
        }
        // conditions are evaluated only for rules that can raise something: enabled, and for a baseline rule a novelty
        for (Rule rule : catalog.matching(view, r -> !disabled.contains(r.id())
                && (r.kind() != RuleKind.BASELINE || novel.containsKey(r.baseline())))) {
            if (disabled.contains(rule.id())) {
                continue;
            }
            List<String> eventIds = List.of(view.event().getEventId());
            Instant first = view.event().getEventTime();
            String baselineContext = null;
            if (rule.kind() == RuleKind.BASELINE) {
                PrincipalBaseline.Novelty n = novel.get(rule.baseline());
                if (n == null) {
                    continue;
                }
                baselineContext = n.context();
            }
            if (rule.kind() == RuleKind.RATE || rule.kind() == RuleKind.SEQUENCE) {
                String key = rule.id() + "|" + record.key();
                RateCounter.Burst burst = rule.kind() == RuleKind.RATE ? rates.add(rateStore, key, rule.rate(), view)
                        : sequences.advance(rateStore, key, rule, view);
                if (burst == null) {
                    continue;
                }
                eventIds = burst.eventIds();
                first = burst.first();
            }
            if (shadow.contains(rule.id())) {
                LOG.info("shadow rule {} matched event {}", rule.id(), view.event().getEventId());
                metrics.shadow(rule.id());
                continue;
            }
            emit(rule, view, eventIds, first, record, baselineContext);
        }
        followUps(view, record);
        tickOnDue(before);
        clock.runDue();
    }

    /**
     * Sends a tick at the event clock when the record just taken moved the clock past the due time of a hit this task sent
     * ({@code before}: the clock before that record), after the record's own follow-ups, so a repair on that record comes
     * first. A hit that came in already due (an old file after newer ones: the clock was past its due time before) sends no
     * tick at once, so the rest of its file can still repair it; the minute ticks and the next alert release it, as they
     * did before. {@code trailhound scan} calls it, through {@link DetectionProcessors#observeEventTime}, also for the
     * records another pipeline processes, as one task would see them: every pipeline's clock reads the same, so the ticks
     * they send are those one task would.
     */
    void tickOnDue(long before) {
        if (dues.isEmpty() || !clock.started()) {
            return;
        }
        long now = clock.now();
        boolean passed = false;
        while (!dues.isEmpty() && now > dues.first()) {
            passed |= dues.pollFirst() >= before;
        }
        if (passed) {
            context.forward(new Record<>(FollowUpProcessor.TICK, null, now));
        }
    }

    /** Sends every follow-up {@code view} is (a new MFA device enabled) to the follow-up processor, keyed as the hits it repairs. */
    private void followUps(EventView view, Record<String, CloudTrailEvent> record) {
        for (Rule rule : catalog.followUps()) {
            if (!disabled.contains(rule.id()) && rule.followUp().match().test(view)) {
                String key = rule.followUp().keyOf(view);
                if (key != null) {
                    context.forward(new Record<>(FollowUpProcessor.followedKey(rule, key), null, record.timestamp()));
                }
            }
        }
    }

    @Override
    public EventClock eventClock() {
        return clock;
    }

    /** An organization trail's object key (the connector's {@code key} header) names a member account. */
    private void learnOrganization(Record<String, CloudTrailEvent> record) {
        Header key = record.headers().lastHeader(ORIGIN_KEY_HEADER);
        // the records of one log file come together with the same key: its account is learned once
        if (key != null && key.value() != null && !Arrays.equals(key.value(), learnedOrigin)) {
            environment.organization().learn(
                    Organization.accountOfOrganizationTrailKey(new String(key.value(), StandardCharsets.UTF_8)));
            learnedOrigin = key.value();
        }
    }

    /**
     * Updates the principal's baseline; returns the values new to it after learning, puts the dimensions new on this event into
     * {@code context.novelty} and those with a novelty within the corroboration window into {@code context.recentNovelty}. A
     * federated subject's call (#18) updates two baselines: the role's federation baseline (the record key), which judges the
     * subject and its namespace (its recent novelties go to {@code context.roleNovelty}), and the subject's own baseline for
     * that role, which judges everything else. AWS services are not baselined.
     */
    private Map<BaselineDimension, PrincipalBaseline.Novelty> observe(String principalKey, EventView view) {
        Principal p = view.event().getPrincipal();
        if (p.getType() == PrincipalType.AWSService || p.getInvokedBy() != null || principalKey == null
                || BaselineDimension.SOURCE_NETWORK.valueOf(view).isEmpty()) {
            return Map.of();
        }
        Optional<FederatedSubject> subject = FederatedSubject.of(view);
        Map<BaselineDimension, PrincipalBaseline.Novelty> novel = new EnumMap<>(BaselineDimension.class);
        PrincipalBaseline own = observe(principalKey, view, novel);
        if (subject.isPresent()) {
            servedSubjects(own, subject.get(), novel.containsKey(BaselineDimension.FEDERATED_SUBJECT), view);
            List<BaselineDimension> ofRole = own.recentNovelties(view.event().getEventTime(), corroborationWindow);
            if (!ofRole.isEmpty()) {
                view.putContext("roleNovelty", ofRole.stream().map(BaselineDimension::id).toList());
            }
            novel.keySet().retainAll(FEDERATION);
            Map<BaselineDimension, PrincipalBaseline.Novelty> ofSubject = new EnumMap<>(BaselineDimension.class);
            own = observe(subject.get().subjectKey(), view, ofSubject);
            ofSubject.keySet().removeAll(FEDERATION);
            novel.putAll(ofSubject);
        }
        List<BaselineDimension> recent = own.recentNovelties(view.event().getEventTime(), corroborationWindow);
        if (!recent.isEmpty()) {
            view.putContext("recentNovelty", recent.stream().map(BaselineDimension::id).toList());
        }
        if (!novel.isEmpty()) {
            view.putContext("novelty", novel.keySet().stream().map(BaselineDimension::id).toList());
        }
        return novel;
    }

    /**
     * Puts the subjects the role served before this sign-in into {@code context.servedSubjects} (the role's federation baseline,
     * at most {@link PrincipalBaseline#CAP}, without this subject when it is new), for the alerts on it to carry to the
     * responder, which narrows the role's trust policy to them (#18 item 5).
     */
    private static void servedSubjects(PrincipalBaseline role, FederatedSubject subject, boolean isNew, EventView view) {
        List<String> served = role.known(BaselineDimension.FEDERATED_SUBJECT).stream()
                .filter(s -> !isNew || !s.equals(subject.subject())).sorted().toList();
        if (!served.isEmpty()) {
            view.putContext(SERVED_SUBJECTS, served);
        }
    }

    /** Updates the baseline stored under {@code key} with {@code view}, adds its novelties to {@code novel}, returns it. */
    private PrincipalBaseline observe(String key, EventView view, Map<BaselineDimension, PrincipalBaseline.Novelty> novel) {
        PrincipalBaseline known = decoded.get(key);
        if (known == null) {
            byte[] stored = baselines.get(key);
            known = stored == null ? null : readBaseline(key, stored);
            if (known != null) {
                decoded.put(key, known);
            }
        }
        PrincipalBaseline baseline = known == null ? PrincipalBaseline.startingAt(view.event().getEventTime()) : known;
        List<PrincipalBaseline.Novelty> found = baseline.observe(view, learningPeriod);
        if (known == null || baseline.changed()) {
            baselines.put(key, baseline.write());
            // the next event starts from exactly what it would read back from the store
            decoded.put(key, baseline.asRead());
        }
        found.forEach(n -> novel.put(n.dimension(), n));
        return baseline;
    }

    /** The stored baseline, or null (logged) when it cannot be read: the principal then learns afresh instead of failing. */
    private static PrincipalBaseline readBaseline(String principalKey, byte[] stored) {
        try {
            return PrincipalBaseline.read(stored);
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable baseline of {} dropped, learning it again: {}", principalKey, e.getMessage());
            return null;
        }
    }

    private void emit(Rule rule, EventView view, List<String> eventIds, Instant first, Record<String, CloudTrailEvent> record,
                      String baselineContext) {
        String dedupKey = AlertFactory.dedupKey(rule, view);
        Alert existing = suppression.get(dedupKey);
        Alert alert;
        if (existing != null && view.event().getEventTime().toEpochMilli() - existing.getLastSeen().toEpochMilli()
                <= suppressionWindow.toMillis()) {
            List<String> ids = new ArrayList<>(existing.getEventIds());
            eventIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            alert = Alert.newBuilder(existing)
                    .setCount(existing.getCount() + 1)
                    .setLastSeen(view.event().getEventTime())
                    .setEventIds(ids.size() > MAX_EVENT_IDS ? ids.subList(ids.size() - MAX_EVENT_IDS, ids.size()) : ids)
                    .build();
        } else {
            alert = withServedSubjects(alerts.create(rule, view, eventIds, first, chainOf(view)), view);
            if (baselineContext != null) {
                alert = Alert.newBuilder(alert).setBaselineContext(baselineContext).build();
            }
        }
        suppression.put(dedupKey, alert);
        suppressed().put(dedupKey, alert.getLastSeen().toEpochMilli());
        String key = alert.getAlertId();
        String followUpKey = rule.followUp() == null ? null : rule.followUp().keyOf(view);
        if (followUpKey != null) {
            // raised, or dropped, by the follow-up processor once the window has passed (#18)
            key = FollowUpProcessor.heldKey(rule, followUpKey);
            long due = view.event().getEventTime().toEpochMilli() + followUpWindow.toMillis();
            heldUntil = Math.max(heldUntil, due);
            dues.add(due);
        }
        context.forward(new Record<>(key, alert, record.timestamp(), record.headers()));
    }

    /**
     * {@code alert} with the subjects the role served before, when {@code view} is a federated sign-in: in its entities, under
     * {@code servedSubjects:<role ARN>} (the incident's entities gather them, so the responder has them however it learns
     * of the incident).
     */
    private static Alert withServedSubjects(Alert alert, EventView view) {
        Optional<FederatedSubject> subject = FederatedSubject.of(view);
        List<String> served = view.values("context." + SERVED_SUBJECTS).stream().map(n -> n.asText()).toList();
        if (subject.isEmpty() || served.isEmpty()) {
            return alert;
        }
        Map<String, List<String>> other = new HashMap<>(alert.getEntities().getOther());
        other.put(SERVED_SUBJECTS + ":" + subject.get().roleArn(), new ArrayList<>(served));
        return Alert.newBuilder(alert).setEntities(Entities.newBuilder(alert.getEntities()).setOther(other).build()).build();
    }

    /**
     * The chain an alert on {@code view} carries: the caller's; for a federated subject's sign-in, the subject and the role
     * it opened (#18), so that alert and every alert of the session share the subject as their root.
     */
    private List<ChainLink> chainOf(EventView view) {
        if (FederatedSubject.of(view).isPresent()) {
            Optional<MintedCredential> minted = MintedCredential.of(view);
            if (minted.isPresent()) {
                return lineage.extend(view.event(), minted.get());
            }
        }
        return lineage.chainOf(view.event());
    }

    /** Drops the suppressions and rate counters expired at {@code now} on the event clock. */
    private void purge(long now) {
        Iterator<Map.Entry<String, Long>> it = suppressed().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() > suppressionWindow.toMillis()) {
                suppression.delete(e.getKey());
                it.remove();
            }
        }
        rates.purge(rateStore, now, catalog);
    }

    /**
     * The last-seen time of every alert in the suppression store, by its key: read from the store once, then kept as the
     * store is written, so a purge reads no alert.
     */
    private Map<String, Long> suppressed() {
        if (suppressedLastSeen == null) {
            Map<String, Long> lastSeen = new HashMap<>();
            try (KeyValueIterator<String, Alert> it = suppression.all()) {
                while (it.hasNext()) {
                    KeyValue<String, Alert> kv = it.next();
                    lastSeen.put(kv.key, kv.value.getLastSeen().toEpochMilli());
                }
            }
            suppressedLastSeen = lastSeen;
        }
        return suppressedLastSeen;
    }
}
