package io.trailhound.respond.runbook;

import java.util.Objects;

/**
 * What runbooks need from configuration to plan: where evidence goes, how the isolation groups are named, which keys to
 * deactivate and whom to tell.
 *
 * @param evidenceBucket          S3 bucket (Object Lock enabled) that receives instance evidence
 * @param allowAllGroupName       name of the first isolation group, allowing all traffic so tracked flows become untracked
 * @param quarantineGroupName     name of the isolation group with no rules
 * @param deactivateAllAccessKeys whether to deactivate all of a user's access keys, or only those named in the alert
 * @param notificationTopicArn    SNS topic told about every incident; empty for none
 * @param terminateCompromisedInstances whether the EC2 runbook ends with a termination (always after approval)
 * @param notificationWebhookUrl  URL that receives a JSON summary of every incident; empty for none
 * @param forensics               forensic refinements (quarantine profile, snapshot sharing, memory capture, retention)
 */
public record RunbookSettings(String evidenceBucket, String allowAllGroupName, String quarantineGroupName,
                              boolean deactivateAllAccessKeys, String notificationTopicArn,
                              boolean terminateCompromisedInstances, String notificationWebhookUrl, ForensicSettings forensics) {

    /** Checks every value is present. */
    public RunbookSettings {
        Objects.requireNonNull(evidenceBucket, "evidenceBucket");
        Objects.requireNonNull(allowAllGroupName, "allowAllGroupName");
        Objects.requireNonNull(quarantineGroupName, "quarantineGroupName");
        Objects.requireNonNull(notificationTopicArn, "notificationTopicArn");
        Objects.requireNonNull(notificationWebhookUrl, "notificationWebhookUrl");
        Objects.requireNonNull(forensics, "forensics");
    }

    /** Settings with the default forensic settings. */
    public RunbookSettings(String evidenceBucket, String allowAllGroupName, String quarantineGroupName,
                           boolean deactivateAllAccessKeys, String notificationTopicArn, boolean terminateCompromisedInstances,
                           String notificationWebhookUrl) {
        this(evidenceBucket, allowAllGroupName, quarantineGroupName, deactivateAllAccessKeys, notificationTopicArn,
            terminateCompromisedInstances, notificationWebhookUrl, ForensicSettings.defaults());
    }

    /** Settings without a webhook. */
    public RunbookSettings(String evidenceBucket, String allowAllGroupName, String quarantineGroupName,
                           boolean deactivateAllAccessKeys, String notificationTopicArn, boolean terminateCompromisedInstances) {
        this(evidenceBucket, allowAllGroupName, quarantineGroupName, deactivateAllAccessKeys, notificationTopicArn,
            terminateCompromisedInstances, "");
    }

    /** The defaults of {@code ResponderConfig}. */
    public static RunbookSettings defaults() {
        return new RunbookSettings("trailhound-evidence", "trailhound-isolation-allow-all", "trailhound-quarantine", true, "",
                false);
    }
}
