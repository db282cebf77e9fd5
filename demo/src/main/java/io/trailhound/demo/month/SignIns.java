package io.trailhound.demo.month;

import java.time.Instant;

/** Console sign-in records as {@code signin.amazonaws.com} writes them: ConsoleLogin (success or failure) and SwitchRole. */
final class SignIns {

    private static final String LOGIN_TO = "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_a1b2c3d4e5f60718";

    private SignIns() {
    }

    /** An IAM user's console sign-in with password and, when it succeeds, MFA. */
    static Call userLogin(Who user, Instant time, String ip, String agent, boolean success, String mfaSerial) {
        Call call = new Call(user, time, "signin.amazonaws.com", "ConsoleLogin").from(ip, agent).eventType("AwsConsoleSignIn")
            .readOnly(false).response(Json.of("ConsoleLogin", success ? "Success" : "Failure"));
        if (success) {
            return call.additional(Json.of("LoginTo", LOGIN_TO, "MobileVersion", "No", "MFAIdentifier", mfaSerial, "MFAUsed", "Yes"));
        }
        return call.error(null, "Failed authentication").additional(Json.of("LoginTo", LOGIN_TO, "MobileVersion", "No",
            "MFAUsed", "No"));
    }

    /**
     * A federated console sign-in (Identity Center): the role session signs in; MFA happened at the identity provider, so
     * CloudTrail writes MFAUsed "No".
     */
    static Call federatedLogin(Who session, Instant time, String ip, String agent) {
        return new Call(session, time, "signin.amazonaws.com", "ConsoleLogin").from(ip, agent).eventType("AwsConsoleSignIn")
            .readOnly(false).response(Json.of("ConsoleLogin", "Success"))
            .additional(Json.of("MobileVersion", "No", "MFAUsed", "No"));
    }

    /** A console role switch: the new role session, switched from {@code fromArn}. */
    static Call switchRole(Who roleSession, Instant time, String ip, String agent, String fromArn) {
        return new Call(roleSession, time, "signin.amazonaws.com", "SwitchRole").from(ip, agent).eventType("AwsConsoleSignIn")
            .readOnly(false).response(Json.of("SwitchRole", "Success"))
            .additional(Json.of("SwitchFrom", fromArn, "RedirectTo", "https://console.aws.amazon.com/console/home"));
    }
}
