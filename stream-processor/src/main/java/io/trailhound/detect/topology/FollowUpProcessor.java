package io.trailhound.detect.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.Alert;
import io.trailhound.detect.rules.Rule;

/**
 * Holds the hits of rules that wait for a follow-up (TH-CON-011, an MFA device removed, #18) until their window has passed in
 * event time, and drops those that a follow-up (a new device enabled for the same user) repaired in time; every other alert
 * passes straight through. It sits on the single incident partition, so a removal by one principal and a replacement by
 * another meet whatever partitions their events were on.
 *
 * <p>Input keys: {@code held|<rule>|<account>|<name>} (a hit, value its alert), {@code followed|<rule>|<account>|<name>} (a
 * follow-up, no value), {@link #TICK} (no value: a detect task's event clock, sent while it has hits waiting, so a quiet
 * incident partition still sees time pass); any other key is an ordinary alert. Held hits live in {@link #STORE} under
 * {@code <due time, 19 digits>|<rule>|<account>|<name>}, so the due ones are one range scan from the start, and
 * {@link #INDEX_STORE} maps {@code <rule>|<account>|<name>} to that key; both are changelogged. A second hit on the same key
 * before it is due (a device deactivated, then deleted) joins the first. Due hits are released before the record that made
 * them due is processed, so an alert keeps its place in its incident's timeline. Released hits leave under the key
 * {@link #RELEASED} (they are new alerts, still to be written to the alerts topic), the alerts passing through under the
 * output key.
 */
final class FollowUpProcessor implements Processor<String, Alert, String, Alert> {

    static final String STORE = "followup-held-store";
    static final String INDEX_STORE = "followup-index-store";
    /** Key of a record that only carries stream time. */
    static final String TICK = "tick";
    static final String HELD = "held|";
    static final String FOLLOWED = "followed|";
    /** Key of a held hit released as an alert (its window passed unrepaired): it has yet to be written to the alerts. */
    static final String RELEASED = "released";

    private static final Logger LOG = LoggerFactory.getLogger(FollowUpProcessor.class);
    private static final String ZERO = due(0);

    private final Duration window;
    private final int maxHeld;
    private final String outputKey;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Alert> held;
    private KeyValueStore<String, String> index;

    /**
     * @param window    how long a hit waits for its follow-up
     * @param maxHeld   most hits held at once; beyond it the oldest is released
     * @param outputKey key of every alert passing through
     */
    FollowUpProcessor(Duration window, int maxHeld, String outputKey) {
        this.window = window;
        this.maxHeld = maxHeld;
        this.outputKey = outputKey;
    }

    /** The key under which a detect task sends {@code rule}'s hit with follow-up key {@code key}. */
    static String heldKey(Rule rule, String key) {
        return HELD + rule.id() + "|" + key;
    }

    /** The key under which a detect task sends a follow-up of {@code rule} for {@code key}. */
    static String followedKey(Rule rule, String key) {
        return FOLLOWED + rule.id() + "|" + key;
    }

    /** Whether {@code key} is one of this processor's control keys rather than an ordinary alert's. */
    static boolean isControl(String key) {
        return key != null && (key.startsWith(HELD) || key.startsWith(FOLLOWED) || TICK.equals(key));
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.held = context.getStateStore(STORE);
        this.index = context.getStateStore(INDEX_STORE);
    }

    @Override
    public void process(Record<String, Alert> record) {
        String key = record.key();
        releaseDue(record.timestamp());
        if (key != null && key.startsWith(HELD) && record.value() != null) {
            hold(key.substring(HELD.length()), record.value());
        } else if (key != null && key.startsWith(FOLLOWED)) {
            repair(key.substring(FOLLOWED.length()), record.timestamp());
        } else if (record.value() != null) {
            context.forward(record.withKey(outputKey));
        }
    }

    private void hold(String id, Alert hit) {
        String previous = index.get(id);
        Alert alert = hit;
        if (previous != null) {
            Alert first = held.get(previous);
            held.delete(previous);
            if (first != null) {
                alert = joined(first, hit);
            }
        } else if (index.approximateNumEntries() >= maxHeld) {
            releaseOldest();
        }
        String dueKey = due(alert.getLastSeen().toEpochMilli() + window.toMillis()) + "|" + id;
        held.put(dueKey, alert);
        index.put(id, dueKey);
    }

    /** The first hit with the second's events added: one alert for a device deactivated and then deleted. */
    private static Alert joined(Alert first, Alert next) {
        List<String> ids = new ArrayList<>(first.getEventIds());
        next.getEventIds().stream().filter(e -> !ids.contains(e)).forEach(ids::add);
        Instant last = next.getLastSeen().isAfter(first.getLastSeen()) ? next.getLastSeen() : first.getLastSeen();
        return Alert.newBuilder(first).setEventIds(ids.size() > DetectProcessor.MAX_EVENT_IDS
                ? ids.subList(ids.size() - DetectProcessor.MAX_EVENT_IDS, ids.size()) : ids)
                .setCount(first.getCount() + 1).setLastSeen(last).build();
    }

    /** A follow-up at {@code time} repairs a held hit that came before it (a due one was released already). */
    private void repair(String id, long time) {
        String dueKey = index.get(id);
        if (dueKey == null) {
            return;
        }
        Alert alert = held.get(dueKey);
        if (alert == null || alert.getFirstSeen().toEpochMilli() <= time) {
            held.delete(dueKey);
            index.delete(id);
            LOG.debug("{} repaired in time: {} not raised", id, alert == null ? "-" : alert.getAlertId());
        }
    }

    /** Releases every hit due before {@code time}: one range scan from the start of the store. */
    private void releaseDue(long time) {
        List<KeyValue<String, Alert>> due = new ArrayList<>();
        try (KeyValueIterator<String, Alert> it = held.range(ZERO, due(time))) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        due.forEach(this::release);
    }

    private void releaseOldest() {
        KeyValue<String, Alert> oldest = null;
        try (KeyValueIterator<String, Alert> it = held.all()) {
            if (it.hasNext()) {
                oldest = it.next();
            }
        }
        if (oldest != null) {
            LOG.warn("more than {} hits waiting for a follow-up: {} raised before its window ended", maxHeld, oldest.key);
            release(oldest);
        }
    }

    private void release(KeyValue<String, Alert> entry) {
        long dueAt = Long.parseLong(entry.key.substring(0, entry.key.indexOf('|')));
        held.delete(entry.key);
        index.delete(entry.key.substring(entry.key.indexOf('|') + 1));
        Alert alert = Alert.newBuilder(entry.value).setDetectedAt(Instant.ofEpochMilli(dueAt)).build();
        context.forward(new Record<>(RELEASED, alert, dueAt));
    }

    /** {@code millis} as 19 digits, so that text order is time order. */
    private static String due(long millis) {
        return String.format("%019d", Math.max(0, millis));
    }
}
