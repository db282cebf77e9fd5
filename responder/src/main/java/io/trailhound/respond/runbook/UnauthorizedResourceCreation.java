package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;

/**
 * Unauthorized resource creation (e.g. instances launched for cryptomining with stolen credentials): tags each instance
 * with the incident, stops it, and terminates it only after approval.
 */
public final class UnauthorizedResourceCreation implements Runbook {

    public static final String ID = "unauthorized-resource-creation";
    /** Tag saying why the responder stopped an instance. */
    public static final String REASON_TAG = "trailhound:stopped-by";

    private final RunbookSettings settings;

    public UnauthorizedResourceCreation(RunbookSettings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Step> plan(Alert alert, Instant now) {
        List<String> instances = alert.getEntities().getInstanceIds();
        if (instances.isEmpty()) {
            return Escalation.toHuman("account/" + alert.getAccountId(), "the alert names no launched instance to stop");
        }
        String incident = IncidentIds.of(alert);
        List<Step> steps = new ArrayList<>();
        for (String instanceId : instances) {
            String arn = Arns.instance(alert, instanceId);
            steps.add(Step.of("tag-instance", Phase.CONTAINMENT, AwsAction.EC2_CREATE_TAGS, arn,
                Map.of("InstanceId", instanceId, "Tag." + Ec2Compromise.INCIDENT_TAG, incident, "Tag." + REASON_TAG, "trailhound")));
            steps.add(Step.of("stop-instance", Phase.CONTAINMENT, AwsAction.EC2_STOP_INSTANCES, arn, Map.of("InstanceId", instanceId)));
            steps.add(Step.destructive("terminate-instance", Phase.CONTAINMENT, AwsAction.EC2_TERMINATE_INSTANCES, arn,
                Map.of("InstanceId", instanceId)));
        }
        steps.addAll(Notification.steps(settings, ID));
        return List.copyOf(steps);
    }
}
