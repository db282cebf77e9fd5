package io.trailhound.demo.month;

import java.util.List;

/**
 * The benign organization's fixed facts: its id, its five accounts, its regions and the GitHub organization its
 * deployments come from.
 */
final class Org {

    static final String ORG_ID = "o-7k3q9x2m4p";
    static final String MANAGEMENT = "401836925710";
    static final String SECURITY = "517294603182";
    static final String SHARED = "628405719263";
    static final String PROD = "739516820374";
    static final String DEV = "840627931485";
    static final List<String> ACCOUNTS = List.of(MANAGEMENT, SECURITY, SHARED, PROD, DEV);

    static final String MAIN_REGION = "us-east-1";
    /** Regions developers sometimes work in besides the main one. */
    static final List<String> OTHER_REGIONS = List.of("us-west-2", "eu-west-1", "us-east-2");

    static final String GITHUB_ORG = "northwind-labs";
    static final String EMAIL_DOMAIN = "northwind-labs.example";
    /** Identity Center's identity store, in the management account. */
    static final String IDENTITY_STORE = "d-9067c2f4a1";

    private Org() {
    }

    static String roleArn(String account, String role) {
        return "arn:aws:iam::" + account + ":role/" + role;
    }

    static String userArn(String account, String user) {
        return "arn:aws:iam::" + account + ":user/" + user;
    }
}
