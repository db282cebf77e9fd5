package io.trailhound.access;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON forms of a blast radius and of a risk ranking, as {@code trailhound access} prints them. */
public final class AccessJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AccessJson() {
    }

    /** One object: principal, adminEquivalent, adminPath, reachable, accounts, riskScore, riskComponents, unsupported. */
    public static ObjectNode blastRadius(BlastRadius radius) {
        ObjectNode root = JSON.createObjectNode();
        root.put("principal", radius.principal());
        root.put("adminEquivalent", radius.adminEquivalent());
        if (radius.adminConfidence() != null) {
            root.put("adminConfidence", radius.adminConfidence().name());
        }
        strings(root.putArray("adminConditions"), radius.adminConditions());
        root.set("adminPath", path(radius.adminPath()));
        ArrayNode reachable = root.putArray("reachable");
        for (Reachable r : radius.reachable()) {
            ObjectNode item = reachable.addObject();
            item.put("arn", r.arn());
            item.put("accountId", r.accountId());
            item.put("kind", r.kind().name());
            item.put("hops", r.hops());
            item.put("confidence", r.confidence().name());
            strings(item.putArray("conditions"), r.conditions());
            item.set("path", path(r.path()));
            item.put("adminEquivalent", r.adminEquivalent());
        }
        strings(root.putArray("accounts"), radius.accounts());
        root.put("riskScore", radius.risk().score());
        root.set("riskComponents", components(radius.risk()));
        strings(root.putArray("unsupported"), radius.unsupported());
        return root;
    }

    /** The principals ranked by risk, highest first, with their components. */
    public static ObjectNode risks(List<BlastRadius> ranked, Collection<String> unsupported) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("principals");
        for (BlastRadius r : ranked) {
            ObjectNode item = list.addObject();
            item.put("principal", r.principal());
            item.put("riskScore", r.risk().score());
            item.put("adminEquivalent", r.adminEquivalent());
            item.put("reachable", r.reachable().size());
            strings(item.putArray("accounts"), r.accounts());
            item.set("riskComponents", components(r.risk()));
        }
        strings(root.putArray("unsupported"), unsupported);
        return root;
    }

    public static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode path(List<PathStep> steps) {
        ArrayNode out = JSON.createArrayNode();
        for (PathStep s : steps) {
            ObjectNode step = out.addObject();
            step.put("from", s.from());
            step.put("to", s.to());
            step.put("via", s.via());
            step.put("technique", s.technique());
            step.put("confidence", s.confidence().name());
        }
        return out;
    }

    private static ArrayNode components(RiskScore risk) {
        ArrayNode out = JSON.createArrayNode();
        for (RiskScore.Component c : risk.components()) {
            out.addObject().put("name", c.name()).put("points", c.points()).put("max", c.max()).put("detail", c.detail());
        }
        return out;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }
}
