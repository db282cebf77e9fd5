package io.trailhound.detect.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.detect.rules.EventView;
import io.trailhound.detect.rules.Rule;
import io.trailhound.detect.rules.RuleCatalog;

/**
 * Sliding event-time counts for RATE rules, per rule and principal, stored as {@code millis:value:eventId} entries ({@code value}
 * a hash of the rule's distinct path, empty without one; at most the rule's count are kept, so state stays bounded); its purge
 * also expires the SEQUENCE progress kept in the same store.
 */
final class RateCounter {

    /** A threshold reached: the events of the burst, oldest first. */
    record Burst(List<String> eventIds, Instant first) {
    }

    /** Adds {@code event} under {@code key}; returns the burst when the rule's count is reached within its window. */
    Burst add(KeyValueStore<String, String> store, String key, Rule.Rate rate, EventView view) {
        CloudTrailEvent event = view.event();
        long now = event.getEventTime().toEpochMilli();
        String value = "";
        if (rate.distinct() != null) {
            // every value at the path (a list of names, or a whole request object) makes the value
            value = Integer.toHexString(view.values(rate.distinct()).toString().hashCode());
        }
        List<String> entries = new ArrayList<>();
        String stored = store.get(key);
        if (stored != null) {
            for (String entry : stored.split(",")) {
                // a value seen again counts once, at its latest time
                if (now - millis(entry) <= rate.window().toMillis() && (value.isEmpty() || !value.equals(valueOf(entry)))) {
                    entries.add(entry);
                }
            }
        }
        entries.add(now + ":" + value + ":" + event.getEventId());
        while (entries.size() > rate.count()) {
            entries.remove(0);
        }
        store.put(key, String.join(",", entries));
        if (entries.size() < rate.count()) {
            return null;
        }
        List<String> ids = entries.stream().map(RateCounter::eventIdOf).toList();
        return new Burst(ids, Instant.ofEpochMilli(millis(entries.get(0))));
    }

    /** Drops counters whose newest entry is older than their rule's window at {@code streamTime}. */
    void purge(KeyValueStore<String, String> store, long streamTime, RuleCatalog catalog) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                Rule rule = catalog.rule(kv.key.substring(0, kv.key.indexOf('|')));
                if (rule == null || isExpired(rule, kv.value, streamTime)) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
    }

    /** A rate counter whose newest entry, or a sequence whose start, is older than the rule's window. */
    private static boolean isExpired(Rule rule, String value, long streamTime) {
        if (rule.sequence() != null) {
            return streamTime - Long.parseLong(value.substring(0, value.indexOf('|'))) > rule.sequence().window().toMillis();
        }
        if (rule.rate() == null) {
            return true;
        }
        String newest = value.substring(value.lastIndexOf(',') + 1);
        return streamTime - millis(newest) > rule.rate().window().toMillis();
    }

    /** The event id of an entry; entries written before distinct counting were {@code millis:eventId}. */
    private static String eventIdOf(String entry) {
        int first = entry.indexOf(':');
        int second = entry.indexOf(':', first + 1);
        return second < 0 ? entry.substring(first + 1) : entry.substring(second + 1);
    }

    private static String valueOf(String entry) {
        int first = entry.indexOf(':');
        int second = entry.indexOf(':', first + 1);
        return second < 0 ? "" : entry.substring(first + 1, second);
    }

    private static long millis(String entry) {
        return Long.parseLong(entry.substring(0, entry.indexOf(':')));
    }
}
