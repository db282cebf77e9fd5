package io.trailhound.respond.runbook;

import java.util.Map;

/** The step that takes a compromised instance's role credentials away: replace its profile by a deny-all one, or remove it. */
final class InstanceProfiles {

    private InstanceProfiles() {
    }

    /** Replaces the profile by the configured quarantine profile, or disassociates it when none is configured. */
    static Step containment(RunbookSettings settings, String instanceId, String instanceArn) {
        String quarantine = settings.forensics().quarantineInstanceProfileArn();
        if (quarantine.isEmpty()) {
            return Step.of("disassociate-instance-profile", Phase.CONTAINMENT, AwsAction.EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE, instanceArn,
                Map.of("InstanceId", instanceId));
        }
        return Step.of("replace-instance-profile", Phase.CONTAINMENT, AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION, instanceArn,
            Map.of("InstanceId", instanceId, "IamInstanceProfileArn", quarantine));
    }
}
