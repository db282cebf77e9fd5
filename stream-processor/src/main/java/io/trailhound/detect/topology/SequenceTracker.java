package io.trailhound.detect.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.detect.rules.EventView;
import io.trailhound.detect.rules.Rule;

/**
 * Progress of SEQUENCE rules per rule and principal, stored as {@code startMillis|nextStep|eventId,eventId...}: an event that
 * matches the next step advances it, the last step completes it, and a sequence older than its window starts over.
 */
final class SequenceTracker {

    /** Advances {@code rule} for {@code view}; returns the completed sequence's events, oldest first, or null. */
    RateCounter.Burst advance(KeyValueStore<String, String> store, String key, Rule rule, EventView view) {
        Rule.Sequence seq = rule.sequence();
        long now = view.event().getEventTime().toEpochMilli();
        String stored = store.get(key);
        String[] parts = stored == null ? null : stored.split("\\|", 3);
        boolean live = parts != null && now - Long.parseLong(parts[0]) <= seq.window().toMillis();
        if (live && seq.steps().get(Integer.parseInt(parts[1])).test(view)) {
            List<String> ids = new ArrayList<>(Arrays.asList(parts[2].split(",")));
            ids.add(view.event().getEventId());
            int next = Integer.parseInt(parts[1]) + 1;
            if (next == seq.steps().size()) {
                store.delete(key);
                return new RateCounter.Burst(List.copyOf(ids), Instant.ofEpochMilli(Long.parseLong(parts[0])));
            }
            store.put(key, parts[0] + "|" + next + "|" + String.join(",", ids));
        } else if (seq.steps().get(0).test(view) && (!live || "1".equals(parts[1]))) {
            // a first step starts (or, before any second step, restarts) the sequence at this event
            store.put(key, now + "|1|" + view.event().getEventId());
        }
        return null;
    }
}
