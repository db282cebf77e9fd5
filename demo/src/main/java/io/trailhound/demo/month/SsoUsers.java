package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Identity Center users: each workday they sign in to the access portal (password and TOTP, logged in the management
 * account), open the console of an account through their permission set (AssumeRoleWithSAML as SAMLUser, then a
 * federated ConsoleLogin of the {@code AWSReservedSSO_<PermissionSet>_<hex>} session named by their e-mail) and read;
 * some also get CLI credentials from the portal (GetRoleCredentials) and use the CLI.
 */
final class SsoUsers implements Activity {

    /**
     * An Identity Center user and the account and permission set they work with.
     *
     * @param email         user name and role session name
     * @param userId        identity store user id
     * @param account       account they open
     * @param permissionSet permission set name
     * @param home          their usual address when not in an office
     */
    private record SsoUser(String email, String userId, String account, String permissionSet, String home) {
    }

    private static final List<String[]> ASSIGNMENTS = List.of(new String[] {Org.PROD, "ReadOnlyAccess"},
        new String[] {Org.DEV, "PowerUserAccess"}, new String[] {Org.SECURITY, "SecurityAudit"},
        new String[] {Org.MANAGEMENT, "Billing"}, new String[] {Org.SHARED, "AdministratorAccess"});
    private static final String SAML_PROVIDER_SUFFIX = ":saml-provider/AWSSSO_7c1e2a9b4f6d3e85_DO_NOT_DELETE";
    private static final String PORTAL = "https://" + Org.IDENTITY_STORE + ".awsapps.com/start";

    private final Draw draw;
    private final List<SsoUser> users;

    SsoUsers(long seed) {
        this.draw = new Draw(seed, "sso");
        this.users = Staff.ssoUsers().stream().map(name -> {
            String[] assignment = draw.pick(ASSIGNMENTS);
            return new SsoUser(name + "@" + Org.EMAIL_DOMAIN, "9067c2f4a1-" + draw.uuid(), assignment[0], assignment[1],
                Addresses.home(draw));
        }).toList();
    }

    /** The Identity Center role of {@code permissionSet} in {@code account}: its suffix is fixed per account and set. */
    static String role(String account, String permissionSet) {
        return "AWSReservedSSO_" + permissionSet + "_" + new Draw(0, account + permissionSet).hex(16);
    }

    @Override
    public void day(Day day) {
        for (SsoUser user : users) {
            if (day.workday() && draw.chance(0.9)) {
                String ip = draw.chance(0.6) ? Addresses.office(Addresses.OFFICES.get(0), draw) : user.home();
                work(day, user, ip, day.at(day.workMinute(draw)));
            }
        }
    }

    private void work(Day day, SsoUser user, String ip, Instant start) {
        Who portal = Who.identityCenter(user.userId(), user.email());
        String flow = draw.uuid();
        Instant t = start;
        for (String credential : List.of("PASSWORD", "TOTP")) {
            day.add(signIn(portal, t, ip, "CredentialChallenge", Json.of("AuthWorkflowID", flow, "CredentialType", credential)), draw);
            t = t.plusSeconds(draw.between(3, 15));
            day.add(signIn(portal, t, ip, "CredentialVerification", Json.of("AuthWorkflowID", flow, "CredentialType", credential)),
                draw);
        }
        day.add(signIn(portal, t.plusSeconds(1), ip, "UserAuthentication", Json.of("AuthWorkflowID", flow, "LoginTo", PORTAL,
            "CredentialType", "PASSWORD,TOTP")), draw);
        String role = role(user.account(), user.permissionSet());
        Instant federate = t.plusSeconds(draw.between(10, 60));
        Who session = Sts.session(draw, user.account(), role, user.email(), federate);
        String providerArn = "arn:aws:iam::" + user.account() + SAML_PROVIDER_SUFFIX;
        day.add(new Call(Who.saml(providerArn, "AWSSSO_7c1e2a9b4f6d3e85", user.email()), federate, "sts.amazonaws.com",
            "AssumeRoleWithSAML").from(ip, Agents.CHROME_MAC).recipient(user.account())
            .request(Json.of("sAMLAssertionID", "_" + draw.uuid(), "roleSessionName", user.email(), "roleArn", session.issuerArn(),
                "principalArn", providerArn, "durationSeconds", 3600))
            .response(Sts.credentials(draw, session, federate).put("subject", user.userId()).put("subjectType", "persistent")
                .put("issuer", "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/" + draw.hex(24))
                .put("audience", "https://signin.aws.amazon.com/saml"))
            .resource("AWS::IAM::Role", session.issuerArn(), user.account()), draw);
        day.add(SignIns.federatedLogin(session, federate.plusSeconds(2), ip, Agents.CHROME_MAC), draw);
        Instant at = federate.plusSeconds(5);
        for (int i = draw.between(6, 18); i > 0; i--) {
            at = at.plusSeconds(draw.between(5, 150));
            Op op = draw.pick(Op.READS);
            day.add(new Call(session, at, op.source(), op.name()).from(ip, Agents.CHROME_MAC).console()
                .request(op.request().apply(draw, Org.MAIN_REGION)), draw);
        }
        if (draw.chance(0.4)) {
            cli(day, user, portal, ip, at.plusSeconds(600), role);
        }
    }

    /** {@code aws sso login}, then CLI calls with the role credentials the portal hands out. */
    private void cli(Day day, SsoUser user, Who portal, String ip, Instant t, String role) {
        day.add(new Call(portal, t, "sso.amazonaws.com", "GetRoleCredentials").from(ip, Agents.cli("macos#24.0.0", "sso.login"))
            .recipient(Org.MANAGEMENT).request(Json.of("roleName", role.substring("AWSReservedSSO_".length(), role.lastIndexOf('_')),
                "accountId", user.account())), draw);
        Who session = Sts.session(draw, user.account(), role, user.email(), t);
        Instant at = t;
        for (int i = draw.between(4, 15); i > 0; i--) {
            at = at.plusSeconds(draw.between(2, 60));
            Op op = draw.pick(Op.READS);
            day.add(new Call(session, at, op.source(), op.name()).from(ip, Agents.cli("macos#24.0.0", op.command()))
                .request(op.request().apply(draw, Org.MAIN_REGION)), draw);
        }
    }

    private static Call signIn(Who portal, Instant t, String ip, String name, ObjectNode extra) {
        return new Call(portal, t, "signin.amazonaws.com", name).from(ip, Agents.CHROME_MAC).recipient(Org.MANAGEMENT)
            .serviceEvent(Json.of(name, "Success")).additional(extra).readOnly(false);
    }
}
