package io.trailhound.respond.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Step;

/**
 * The steps planned lately, whatever incident key they were planned under (#16). An alert reaches the responder as its
 * principal's task raised it, carrying the incident key of its root identity; alerts of one intrusion that the incident stage
 * joins through something else than their root (a GuardDuty finding and the CloudTrail alerts on the same instance, a user
 * the intruder created) carry different keys. Their runbooks would plan the same step (isolate that instance, deactivate
 * that key) under each key, and the ledger, which settles an action per key, would let each run. A step identical in action,
 * resource, name and parameters to one planned under another key within the window is therefore not planned again;
 * steps whose parameters carry the time of the plan (a deny on sessions issued before now) differ and still run, moving the
 * cutoff forward. One that waited for approval does not hide an automatic one. Notifications are not steps of this kind:
 * each incident key's are sent.
 *
 * <p>In memory and bounded (the last {@link #MAX_STEPS} steps): after a restart the first repeat under another key can run
 * once more, as it would have without this.
 */
final class StepsAcrossKeys {

    /** Steps remembered. */
    static final int MAX_STEPS = 10_000;

    private final Duration window;
    private final Map<String, Planned> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Planned> eldest) {
            return size() > MAX_STEPS;
        }
    };

    private record Planned(String incidentId, boolean approval, Instant at) {
    }

    /** @param window how long a step planned under one key stands for the same step under another */
    StepsAcrossKeys(Duration window) {
        this.window = window;
    }

    /**
     * Whether {@code step} was planned under another incident key than {@code incidentId} within the window (automatic, or
     * waiting for approval as this one would); otherwise remembers it under {@code incidentId}.
     */
    synchronized boolean plannedUnderAnotherKey(String incidentId, Step step, boolean approval, Instant now) {
        if (step.phase() == Phase.NOTIFY) {
            // people are told about each incident
            return false;
        }
        String key = key(step);
        Planned earlier = recent.get(key);
        if (earlier != null && !earlier.incidentId().equals(incidentId) && now.isBefore(earlier.at().plus(window))
            && (!earlier.approval() || approval)) {
            return true;
        }
        if (earlier == null || earlier.incidentId().equals(incidentId) || !now.isBefore(earlier.at().plus(window)) || earlier.approval()) {
            recent.put(key, new Planned(incidentId, approval, now));
        }
        return false;
    }

    private static String key(Step step) {
        return step.action().id() + "|" + step.resource() + "|" + step.name() + "|" + new TreeMap<>(step.parameters());
    }
}
