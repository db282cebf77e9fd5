package io.trailhound.detect.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.detect.baseline.BaselineDimension;

/**
 * The detection rules, read from JSON ({@code rules.json} on the classpath for the built-in catalog), indexed by event name
 * so that an event is tested only against rules that can match it.
 */
public final class RuleCatalog {

    /** Classpath location of the built-in rules. */
    public static final String BUILT_IN = "/io/trailhound/detect/rules/rules.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Rule> byId;
    private final Map<String, List<Rule>> byEventName;
    private final List<Rule> anyEvent;
    private final List<Rule> followUps;

    private RuleCatalog(List<Rule> rules) {
        Map<String, Rule> ids = new LinkedHashMap<>();
        Map<String, List<Rule>> index = new HashMap<>();
        List<Rule> any = new ArrayList<>();
        for (Rule r : rules) {
            if (ids.put(r.id(), r) != null) {
                throw new IllegalArgumentException("duplicate rule id " + r.id());
            }
            if (r.eventNames().isEmpty()) {
                any.add(r);
            }
            r.eventNames().forEach(name -> index.computeIfAbsent(name, n -> new ArrayList<>()).add(r));
        }
        this.byId = ids;
        this.byEventName = index;
        this.anyEvent = any;
        this.followUps = rules.stream().filter(r -> r.followUp() != null).toList();
    }

    /** The built-in catalog. */
    public static RuleCatalog builtIn() {
        try (InputStream in = RuleCatalog.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in rules " + BUILT_IN);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in rules", e);
        }
    }

    /** Rules from a JSON document {@code {"rules": [...]}}; fails with the offending rule id on any invalid entry. */
    public static RuleCatalog read(InputStream json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        List<Rule> rules = new ArrayList<>();
        for (JsonNode n : root.path("rules")) {
            try {
                rules.add(rule(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid rule " + n.path("id").asText("<no id>") + ": " + e.getMessage(), e);
            }
        }
        return new RuleCatalog(rules);
    }

    /** Every rule, in catalog order. */
    public List<Rule> rules() {
        return List.copyOf(byId.values());
    }

    /** The rules whose hits wait for a follow-up (see {@link Rule.FollowUp}). */
    public List<Rule> followUps() {
        return followUps;
    }

    /** The rule with {@code id}, or null. */
    public Rule rule(String id) {
        return byId.get(id);
    }

    /** Rules that match {@code event}. */
    public List<Rule> matching(EventView event) {
        return matching(event, r -> true);
    }

    /**
     * Rules among the {@code candidate}s that match {@code event}, in the order of {@link #matching(EventView)}: a rule that is
     * no candidate (disabled, a baseline rule without a novelty of its dimension) does not have its condition evaluated.
     */
    public List<Rule> matching(EventView event, Predicate<Rule> candidate) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : byEventName.getOrDefault(event.event().getEventName(), List.of())) {
            if (candidate.test(r) && r.match().test(event)) {
                out.add(r);
            }
        }
        for (Rule r : anyEvent) {
            if (candidate.test(r) && r.match().test(event)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Rule rule(JsonNode n) {
        Rule.Sequence sequence = null;
        Condition condition;
        Set<String> names = new HashSet<>();
        if (n.has("steps")) {
            List<Condition> steps = new ArrayList<>();
            for (JsonNode step : n.path("steps")) {
                steps.add(Condition.parse(step));
                eventNames(step, names);
            }
            sequence = new Rule.Sequence(steps, Duration.parse(n.path("window").asText()));
            condition = Condition.any(steps);
        } else {
            condition = Condition.parse(n.path("match"));
            eventNames(n.path("match"), names);
        }
        RuleKind kind = RuleKind.valueOf(n.path("kind").asText("SIGNATURE"));
        Rule.Rate rate = n.has("rate") ? new Rule.Rate(n.path("rate").path("count").asInt(),
                Duration.parse(n.path("rate").path("window").asText()), text(n.path("rate"), "distinct")) : null;
        List<String> entities = new ArrayList<>();
        n.path("entity").forEach(v -> entities.add(v.asText()));
        return new Rule(n.path("id").asText(), n.path("title").asText(), n.path("description").asText(),
                severity(n.path("severity").asText()), kind, text(n, "tactic"), text(n, "techniqueId"),
                text(n, "techniqueName"), text(n, "runbook"), names, condition, rate, entities,
                n.hasNonNull("baseline") ? BaselineDimension.of(n.path("baseline").asText()) : null, sequence, downgrade(n),
                followUp(n));
    }

    /** {@code "notFollowedBy": {"match": {...}, "key": [paths]}}: what repairs the rule's hit in time (#18), or null. */
    private static Rule.FollowUp followUp(JsonNode n) {
        JsonNode f = n.get("notFollowedBy");
        if (f == null || f.isNull()) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        f.path("key").forEach(v -> keys.add(v.asText()));
        return new Rule.FollowUp(Condition.parse(f.path("match")), keys);
    }

    private static Rule.Downgrade downgrade(JsonNode n) {
        JsonNode d = n.get("downgrade");
        if (d == null || d.isNull()) {
            return null;
        }
        Severity to = severity(d.path("to").asText());
        if (to.ordinal() >= severity(n.path("severity").asText()).ordinal()) {
            throw new IllegalArgumentException("a downgrade must lower the severity");
        }
        return new Rule.Downgrade(to, Condition.parse(d.path("unless")));
    }

    /** Adds the event names a match object is limited to (none: it may match any event, so the rule is not indexed). */
    private static void eventNames(JsonNode match, Set<String> names) {
        match.path("eventName").forEach(v -> names.add(v.asText()));
        if (match.path("eventName").isTextual()) {
            names.add(match.path("eventName").asText());
        }
    }

    /** Rule files say INFO, as scan output does; the Avro enum says INFORMATIONAL. */
    static Severity severity(String text) {
        return "INFO".equals(text) ? Severity.INFORMATIONAL : Severity.valueOf(text);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
