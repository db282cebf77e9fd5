package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.trailhound.respond.ResponderConfig;

/**
 * What the member-account role's policy and permissions boundary protect, from the responder's configuration: the role
 * itself ({@code responder.role.name}, any path, in every account), the responder's hub identity
 * ({@code responder.identity.arn}), the protected principals ({@code responder.protected.arns}, those that are IAM ARNs),
 * everything tagged with a protecting tag ({@code responder.protected.instance.tags}, default
 * {@code trailhound:protected=true}, on principals as on instances) and every role, user and policy under the IAM path
 * {@value #PROTECTED_PATH}; plus the forensic account incident snapshots may be shared with and the one document memory
 * capture may run.
 *
 * @param partition         AWS partition of the ARNs ({@code responder.aws.partition})
 * @param roleName          name of the member-account role
 * @param hubIdentityArn    ARN of the responder's own identity; empty when unknown
 * @param protectedArns     ARN globs of principals never contained (only IAM ARNs end up in the policy)
 * @param protectedTags     tags whose resources the role may not change, by key
 * @param forensicAccountId account the incident's snapshots may be shared with; empty when none
 * @param memoryCaptureDocument the only Systems Manager document the role may run; empty when none
 */
public record MemberRoleGuards(String partition, String roleName, String hubIdentityArn, List<String> protectedArns,
                               Map<String, String> protectedTags, String forensicAccountId, String memoryCaptureDocument) {

    /** IAM path of Trailhound's own and other protected roles, users and policies (the boundary policy among them). */
    public static final String PROTECTED_PATH = "/trailhound/";
    /** Name of the managed policy set as the member role's permissions boundary, under {@link #PROTECTED_PATH}. */
    public static final String BOUNDARY_POLICY_NAME = "TrailhoundResponderBoundary";

    public MemberRoleGuards {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(roleName, "roleName");
        hubIdentityArn = hubIdentityArn == null ? "" : hubIdentityArn;
        protectedArns = List.copyOf(protectedArns);
        protectedTags = Map.copyOf(protectedTags);
        forensicAccountId = forensicAccountId == null ? "" : forensicAccountId;
        memoryCaptureDocument = memoryCaptureDocument == null ? "" : memoryCaptureDocument;
    }

    /** The guards of the default configuration (role {@code TrailhoundResponder}, tag {@code trailhound:protected=true}). */
    public static MemberRoleGuards defaults() {
        return of(new ResponderConfig(Map.of()));
    }

    /** The guards {@code config} describes. */
    public static MemberRoleGuards of(ResponderConfig config) {
        return new MemberRoleGuards(config.getString(ResponderConfig.PARTITION_CONFIG), config.getString(ResponderConfig.ROLE_NAME_CONFIG),
            config.getString(ResponderConfig.IDENTITY_ARN_CONFIG), config.getList(ResponderConfig.PROTECTED_ARNS_CONFIG),
            config.protectedInstanceTags(), config.getString(ResponderConfig.FORENSIC_ACCOUNT_CONFIG),
            config.getString(ResponderConfig.MEMORY_CAPTURE_DOCUMENT_CONFIG));
    }

    /** ARN of the boundary policy in any account. */
    public String boundaryPolicyArn() {
        return "arn:" + partition + ":iam::*:policy" + PROTECTED_PATH + BOUNDARY_POLICY_NAME;
    }

    /**
     * Every IAM resource the role may never change, as IAM resource patterns: itself (any path), the hub identity, the
     * protected principals' IAM ARNs, and the roles, users and policies under {@value #PROTECTED_PATH}.
     */
    public List<String> protectedIamResources() {
        String iam = "arn:" + partition + ":iam::*:";
        List<String> resources = new ArrayList<>(List.of(iam + "role/" + roleName, iam + "role/*/" + roleName));
        if (!hubIdentityArn.isBlank()) {
            resources.add(hubIdentityArn);
        }
        protectedArns.stream().map(String::trim).filter(arn -> arn.matches("arn:[^:]+:iam::[^:]*:(role|user|group)/.+"))
            .filter(arn -> !resources.contains(arn)).forEach(resources::add);
        for (String type : List.of("role", "user", "policy")) {
            resources.add(iam + type + PROTECTED_PATH + "*");
        }
        return List.copyOf(resources);
    }
}
