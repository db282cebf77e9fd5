package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/** Which IAM ARN an alert's principal is looked up by in the access summaries (#15). */
class AccessLookupTest {

    @Test
    void shouldLookUpUsersAndTheRoleOfAnAssumedRoleSession() {
        assertEquals("arn:aws:iam::111122223333:user/dev", AccessLookup.iamArn(principal(PrincipalType.IAMUser,
            "arn:aws:iam::111122223333:user/dev", null, null)));
        assertEquals("arn:aws:iam::111122223333:role/ops/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole,
            "arn:aws:iam::111122223333:role/ops/app", "arn:aws:sts::111122223333:assumed-role/app/s1", null)),
            "the durable role ARN, with its path");
        assertEquals("arn:aws:iam::111122223333:role/ops/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole, null,
            "arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/ops/app")), "the session issuer");
        assertEquals("arn:aws:iam::111122223333:role/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole, null,
            "arn:aws:sts::111122223333:assumed-role/app/s1", null)), "the role the session ARN names (no path)");
        assertNull(AccessLookup.iamArn(principal(PrincipalType.Root, "arn:aws:iam::111122223333:root", null, null)));
        assertNull(AccessLookup.iamArn(principal(PrincipalType.AWSService, null, null, null)));
        assertNull(AccessLookup.iamArn(null));
    }

    private static Principal principal(PrincipalType type, String arn, String session, String issuer) {
        return Principal.newBuilder().setType(type).setPrincipalKey("k").setArn(arn).setSessionArn(session)
            .setSessionIssuerArn(issuer).build();
    }
}
