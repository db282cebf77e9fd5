package io.trailhound.respond.runbook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trailhound.avro.Alert;

/** Builds and reads the ARNs runbook steps act on, in the alert's partition. */
public final class Arns {

    private static final Pattern PARTITION = Pattern.compile("^arn:(aws[a-z-]*):");
    private static final Pattern ROLE_NAME = Pattern.compile("^arn:aws[a-z-]*:iam::\\d*:role/(?:.*/)?([^/]+)$");

    private Arns() {
    }

    /** The partition of the alert's principal ({@code aws}, {@code aws-cn}, {@code aws-us-gov}); {@code aws} when unknown. */
    public static String partition(Alert alert) {
        if (alert.getPrincipal() != null && alert.getPrincipal().getArn() != null) {
            Matcher m = PARTITION.matcher(alert.getPrincipal().getArn());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "aws";
    }

    /** {@code arn:aws:iam::<account>:user/<name>}. */
    public static String user(Alert alert, String userName) {
        return "arn:" + partition(alert) + ":iam::" + alert.getAccountId() + ":user/" + userName;
    }

    /**
     * {@code arn:aws:ec2:<region>:<account>:instance/<id>}, in the instance's own region when the alert names one
     * ({@code Entities.instanceRegions}), else the alert's.
     */
    public static String instance(Alert alert, String instanceId) {
        return "arn:" + partition(alert) + ":ec2:" + instanceRegion(alert, instanceId) + ":" + alert.getAccountId()
            + ":instance/" + instanceId;
    }

    /** The region of {@code instanceId}: from the alert's {@code instanceRegions} when present, else the alert's region. */
    public static String instanceRegion(Alert alert, String instanceId) {
        String region = alert.getEntities().getInstanceRegions().get(instanceId);
        return region == null || region.isBlank() ? alert.getRegion() : region;
    }

    /** The region part of an ARN ({@code arn:partition:service:region:account:resource}); empty when it has none. */
    public static String region(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") ? parts[3] : "";
    }

    /** The role name at the end of a role ARN (any path), or {@code null} when {@code roleArn} is not a role ARN. */
    public static String roleName(String roleArn) {
        Matcher m = ROLE_NAME.matcher(roleArn == null ? "" : roleArn);
        return m.matches() ? m.group(1) : null;
    }

    /** Whether {@code roleArn} names a service-linked role, whose sessions IAM does not let anyone revoke. */
    public static boolean isServiceLinkedRole(String roleArn) {
        return roleArn != null && roleArn.contains(":role/aws-service-role/");
    }

    /** The id at the end of a resource ARN ({@code i-0123} for an instance ARN), or the text itself when it is no ARN. */
    public static String resourceId(String arn) {
        int slash = arn.lastIndexOf('/');
        return arn.startsWith("arn:") && slash >= 0 ? arn.substring(slash + 1) : arn;
    }
}
