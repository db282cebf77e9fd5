package io.trailhound.respond.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a planned step as one JSON line, the output format of {@code trailhound plan}. */
public final class PlanJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanJson() {
    }

    /** One compact JSON object, no line break. */
    public static String line(PlannedStep planned, boolean dryRun) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("incidentId", planned.incidentId());
        node.put("alertId", planned.alertId());
        node.put("runbook", planned.runbook());
        node.put("order", planned.order());
        node.put("step", planned.step().name());
        node.put("phase", planned.step().phase().name());
        node.put("action", planned.step().action().id());
        node.put("accountId", planned.accountId());
        node.put("region", planned.region());
        node.put("resource", planned.step().resource());
        ObjectNode parameters = node.putObject("parameters");
        planned.step().parameters().forEach(parameters::put);
        node.put("destructive", planned.step().destructive());
        node.put("requiresApproval", planned.requiresApproval());
        node.put("approvalReason", planned.approvalReason());
        node.put("skippedReason", planned.skippedReason());
        node.put("actionId", planned.actionId());
        node.put("dryRun", dryRun);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a plan line", e);
        }
    }
}
