package io.trailhound.access;

import java.util.List;

/** An IAM group: its inline policies and attached managed policy ARNs, which its member users inherit. */
public record IamGroup(String arn, String accountId, String name, List<PolicyDocument> inline, List<String> attached) {

    public IamGroup {
        inline = List.copyOf(inline);
        attached = List.copyOf(attached);
    }
}
