package io.trailhound.demo.month;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * STS records: AssumeRole (written to the caller's and the role's account, with one shared event id, when they differ),
 * and the stable ids of the organization's roles.
 */
final class Sts {

    /** STS and IAM responses write times in this human format, not ISO-8601. */
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US)
        .withZone(ZoneOffset.UTC);

    private Sts() {
    }

    /** The role's unique id (AROA...), the same all month: derived from the account and role name alone. */
    static String roleId(String account, String role) {
        return new Draw(0, account + "/" + role).key("AROA");
    }

    /** The session {@code session} of {@code role} in {@code account} with a fresh key, created at {@code time}. */
    static Who session(Draw draw, String account, String role, String session, Instant time) {
        return Who.role(account, role, roleId(account, role), session, draw.key("ASIA"), time);
    }

    /** {@code caller} assumes {@code target}'s role; {@code serial} is the MFA device or {@code null}. */
    static void assumeRole(Day day, Draw draw, Who caller, Instant time, String ip, String agent, Who target, String serial) {
        ObjectNode request = Json.of("roleArn", target.issuerArn(), "roleSessionName", target.session(), "durationSeconds", 3600);
        if (serial != null) {
            request.put("serialNumber", serial);
        }
        ObjectNode response = credentials(draw, target, time);
        String shared = draw.uuid();
        boolean crossAccount = caller.account() != null && !caller.account().equals(target.account());
        Call inRoleAccount = new Call(caller, time, "sts.amazonaws.com", "AssumeRole").from(ip, agent).request(request)
            .response(response).recipient(target.account()).resource("AWS::IAM::Role", target.issuerArn(), target.account());
        if (crossAccount) {
            inRoleAccount.shared(shared);
            day.add(new Call(caller, time, "sts.amazonaws.com", "AssumeRole").from(ip, agent).request(request)
                .response(response).recipient(caller.account()).shared(shared)
                .resource("AWS::IAM::Role", target.issuerArn(), target.account()), draw);
        }
        day.add(inRoleAccount, draw);
    }

    /** Times inside STS and IAM responses, which CloudTrail writes as "Oct 1, 2026, 1:02:03 PM". */
    static String humanTime(Instant time) {
        return EXPIRATION.format(time);
    }

    static ObjectNode credentials(Draw draw, Who target, Instant time) {
        return Json.of("credentials", Json.of("accessKeyId", target.accessKeyId(), "sessionToken", "IQoJb3JpZ2luX2VjE" + draw.hex(48),
                "expiration", humanTime(time.plus(Duration.ofHours(1)))),
            "assumedRoleUser", Json.of("assumedRoleId", target.principalId() + ":" + target.session(), "arn", target.arn()));
    }
}
