#!/usr/bin/env python3
"""Writes the identity-origin attack and benign timelines of issue #18 (deterministic; re-run to regenerate):

  src/test/resources/timelines/identity/<scenario>.jsonl   one row per CloudTrail record:
      {"scenario", "seq", "malicious", "step", "expect", "event"}
      "step" names an attack step; "expect" lists rule ids of which at least one must alert on that record, "require"
      (optional) rule ids every one of which must alert on it
  src/test/resources/timelines/identity/expected.json     per scenario: "attack" (true: one incident, chain root "root",
      every step alerted) or benign (nothing above LOW)
  src/test/resources/rules/<rule>/{positive,negative}.jsonl   golden events of the rules these timelines brought, cut from
      them (own accounts and eventIDs per rule)

Each scenario has two weeks of ordinary history (2025-03-01 .. 03-14) before the day it is about (03-15). Records follow
what CloudTrail writes for these calls (userIdentity shapes of IAM users, role sessions, WebIdentityUser, SAMLUser and
Identity Center users; signin.amazonaws.com ConsoleLogin / SwitchRole; sessionCredentialFromConsole on console calls).
"""
import hashlib
import json
import os
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "timelines", "identity")
PROD, DEV, IDENTITY, SSO_ADMIN, FOREIGN = "111111111111", "222222222222", "333333333333", "444444444444", "999988887777"
GITHUB = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % PROD
DEPLOY_ROLE = "arn:aws:iam::%s:role/github-deploy" % PROD
CHROME = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/122.0.0.0 Safari/537.36")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"
GHA_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off command/%s"
CONSOLE_UA = "AWS Internal"


def uid(*parts):
    return str(hashlib.sha1("|".join(parts).encode()).hexdigest()[:32])


def eid(*parts):
    h = uid(*parts)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def key(prefix, *parts):
    return prefix + hashlib.sha1("|".join(parts).encode()).hexdigest().upper()[:16]


def t(day, hh, mm, ss=0):
    return "2025-03-%02dT%02d:%02d:%02dZ" % (day, hh, mm, ss)


def record(scenario, time, identity, source, name, ip, ua, account, request=None, response=None, additional=None,
           read_only=False, event_type="AwsApiCall", console=False, region="us-east-1", error=None):
    who = identity.get("arn") or identity.get("principalId") or json.dumps(identity, sort_keys=True)
    e = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": time, "eventSource": source, "eventName": name,
         "awsRegion": region, "sourceIPAddress": ip, "userAgent": ua, "requestParameters": request,
         "responseElements": response, "requestID": eid(scenario, time, name, who, "req"), "eventID": eid(scenario, time, name, ip, who),
         "readOnly": read_only, "eventType": event_type, "managementEvent": True, "recipientAccountId": account,
         "eventCategory": "Management"}
    if additional is not None:
        e["additionalEventData"] = additional
    if error is not None:
        e["errorCode"], e["errorMessage"] = error
    if console:
        e["sessionCredentialFromConsole"] = "true"
    if event_type == "AwsApiCall":
        e["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": source.replace(".amazonaws.com", "." + region + ".amazonaws.com")}
    return e


def iam_user(account, name, key_id=None, mfa=None, since=None):
    u = {"type": "IAMUser", "principalId": "AIDA" + uid(name)[:17].upper(), "arn": "arn:aws:iam::%s:user/%s" % (account, name),
         "accountId": account, "userName": name}
    if key_id:
        u["accessKeyId"] = key_id
    if mfa is not None:
        u["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                               "attributes": {"creationDate": since, "mfaAuthenticated": "true" if mfa else "false"}}
    return u


def role_session(account, role, session, key_id, since, mfa=False, web=None):
    path = "aws-reserved/sso.amazonaws.com/" if role.startswith("AWSReservedSSO_") else ""
    ctx = {"sessionIssuer": {"type": "Role", "principalId": "AROA" + uid(role)[:17].upper(),
                             "arn": "arn:aws:iam::%s:role/%s%s" % (account, path, role), "accountId": account, "userName": role},
           "attributes": {"creationDate": since, "mfaAuthenticated": "true" if mfa else "false"}}
    ctx["webIdFederationData"] = {"federatedProvider": web, "attributes": {}} if web else {}
    return {"type": "AssumedRole", "principalId": "AROA%s:%s" % (uid(role)[:17].upper(), session),
            "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role, session), "accountId": account,
            "accessKeyId": key_id, "sessionContext": ctx}


def credentials(key_id, time, session_arn, role_id):
    return {"credentials": {"accessKeyId": key_id, "sessionToken": "IQoJb3JpZ2luX2VjE" + uid(key_id)[:24],
                            "expiration": "Mar 15, 2025, 11:00:00 PM"},
            "assumedRoleUser": {"assumedRoleId": role_id, "arn": session_arn}}


class Timeline:
    def __init__(self, scenario):
        self.scenario = scenario
        self.rows = []

    def add(self, event, malicious=False, step=None, expect=None):
        row = {"scenario": self.scenario, "seq": len(self.rows), "malicious": malicious}
        if step:
            row["step"] = step
            row["expect"] = expect
        row["event"] = event
        self.rows.append(row)
        return event

    def require(self, *rules):
        """Every one of {@code rules} must alert on the last record added (beside one of its "expect")."""
        self.rows[-1]["require"] = list(rules)

    # --- GitHub Actions through OIDC -------------------------------------------------------------------------------
    def github_assume(self, time, subject, ip, key_id, malicious=False, step=None, expect=None):
        caller = {"type": "WebIdentityUser", "principalId": "%s:sts.amazonaws.com:%s" % (GITHUB, subject),
                  "userName": subject, "identityProvider": GITHUB}
        session = "GitHubActions"
        arn = "arn:aws:sts::%s:assumed-role/github-deploy/%s" % (PROD, session)
        response = credentials(key_id, time, arn, "AROA%s:%s" % (uid("github-deploy")[:17].upper(), session))
        response.update({"subjectFromWebIdentityToken": subject, "audience": "sts.amazonaws.com", "provider": GITHUB})
        return self.add(record(self.scenario, time, caller, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", ip,
                               GHA_CLI % "sts.assume-role-with-web-identity", PROD,
                               request={"roleArn": DEPLOY_ROLE, "roleSessionName": session, "durationSeconds": 3600},
                               response=response), malicious, step, expect)

    def deploy_calls(self, day, hour, ip, key_id, repo):
        s = role_session(PROD, "github-deploy", "GitHubActions", key_id, t(day, hour, 0), web=GITHUB)
        self.add(record(self.scenario, t(day, hour, 1), s, "ecr.amazonaws.com", "GetAuthorizationToken", ip,
                        GHA_CLI % "ecr.get-login-password", PROD, request={}, read_only=True))
        self.add(record(self.scenario, t(day, hour, 3), s, "ecs.amazonaws.com", "UpdateService", ip,
                        GHA_CLI % "ecs.update-service", PROD,
                        request={"cluster": "prod", "service": repo, "forceNewDeployment": True}))
        self.add(record(self.scenario, t(day, hour, 4), s, "ecs.amazonaws.com", "DescribeServices", ip,
                        GHA_CLI % "ecs.wait", PROD, request={"cluster": "prod", "services": [repo]}, read_only=True))

    def github_history(self):
        for day in range(1, 15):
            for n, repo in enumerate(["webapp", "infra"]):
                ip = "20.%d.%d.%d" % (40 + n, 10 + day, 20 + day)
                k = key("ASIA", self.scenario, repo, str(day))
                sub = "repo:acme/%s:environment:prod" % repo if repo == "webapp" else "repo:acme/infra:ref:refs/heads/main"
                self.github_assume(t(day, 10 + 3 * n, 0), sub, ip, k)
                self.deploy_calls(day, 10 + 3 * n, ip, k, repo)

    # --- console ---------------------------------------------------------------------------------------------------
    def console_login(self, time, user_account, user, ip, ua, mfa, malicious=False, step=None, expect=None):
        additional = {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                      "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
        if mfa:
            additional["MFAIdentifier"] = "arn:aws:iam::%s:mfa/%s" % (user_account, user)
        return self.add(record(self.scenario, time, iam_user(user_account, user), "signin.amazonaws.com", "ConsoleLogin", ip, ua,
                               user_account, response={"ConsoleLogin": "Success"}, additional=additional,
                               event_type="AwsConsoleSignIn"), malicious, step, expect)

    def switch_role(self, time, from_arn, account, role, session, ip, ua, mfa, since, malicious=False, step=None, expect=None):
        s = role_session(account, role, session, "", since, mfa)
        return self.add(record(self.scenario, time, s, "signin.amazonaws.com", "SwitchRole", ip, ua, account,
                               response={"SwitchRole": "Success"},
                               additional={"SwitchFrom": from_arn,
                                           "RedirectTo": "https://us-east-1.console.aws.amazon.com/console/home"},
                               event_type="AwsConsoleSignIn"), malicious, step, expect)

    def console_call(self, time, identity, source, name, ip, account, request=None, read_only=True, malicious=False,
                     step=None, expect=None, response=None):
        return self.add(record(self.scenario, time, identity, source, name, ip, CONSOLE_UA, account, request=request,
                               response=response, read_only=read_only, console=True), malicious, step, expect)

    def console_history(self, who="carol", account=IDENTITY, roles=("ReadOnly",), office="198.51.100.%d", later=0):
        for day in range(1, 15):
            if day % 7 in (1, 2):  # a weekend: nobody at work
                continue
            ip = office % (30 + day)
            since = t(day, 8 + later, 30)
            self.console_login(since, account, who, ip, CHROME, True)
            user = iam_user(account, who, key("ASIA", self.scenario, who, str(day)), True, since)
            self.console_call(t(day, 8 + later, 32), user, "iam.amazonaws.com", "ListUsers", ip, account, {})
            for n, role in enumerate(roles):
                switched = t(day, 9 + later + n, 0)
                self.switch_role(switched, "arn:aws:iam::%s:user/%s" % (account, who), PROD, role, who, ip, CHROME, True,
                                 switched)
                s = role_session(PROD, role, who, key("ASIA", self.scenario, who, role, str(day)), switched, True)
                self.console_call(t(day, 9 + later + n, 2), s, "ec2.amazonaws.com", "DescribeInstances", ip, PROD, {})
                self.console_call(t(day, 9 + later + n, 5), s, "cloudwatch.amazonaws.com", "GetMetricData", ip, PROD, {})


def oidc(attack):
    tl = Timeline("oidc-foreign-repo" if attack else "oidc-new-repo-same-org")
    tl.github_history()
    if not attack:
        k = key("ASIA", tl.scenario, "billing")
        tl.github_assume(t(15, 11, 0), "repo:acme/billing-api:ref:refs/heads/main", "20.42.77.18", k)
        tl.deploy_calls(15, 11, "20.42.77.18", k, "billing-api")
        return tl
    ip = "20.169.34.211"
    k = key("ASIA", tl.scenario, "evil")
    tl.github_assume(t(15, 2, 10), "repo:evilcorp-labs/payload:ref:refs/heads/main", ip, k, True, "web identity of a foreign "
                     "GitHub organization assumes the deploy role", ["TH-FED-002"])
    s = role_session(PROD, "github-deploy", "GitHubActions", k, t(15, 2, 10), web=GITHUB)
    tl.add(record(tl.scenario, t(15, 2, 12), s, "ssm.amazonaws.com", "SendCommand", ip, GHA_CLI % "ssm.send-command", PROD,
                  request={"instanceIds": ["i-0a1b2c3d4e5f60718"], "documentName": "AWS-RunShellScript",
                           "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                  response={"command": {"commandId": uid("cmd")[:8] + "-1a2b-4c3d-8e9f-" + uid("cmd2")[:12],
                                        "documentName": "AWS-RunShellScript", "instanceIds": ["i-0a1b2c3d4e5f60718"]}}),
           True, "SSM command on a production instance", ["TH-BL-008"])
    tl.add(record(tl.scenario, t(15, 2, 14), s, "iam.amazonaws.com", "CreateAccessKey", ip, GHA_CLI % "iam.create-access-key",
                  PROD, request={"userName": "svc-reporting"},
                  response={"accessKey": {"accessKeyId": "AKIA5EVILREPORTING1", "status": "Active",
                                          "userName": "svc-reporting", "createDate": "Mar 15, 2025, 2:14:00 AM"}}),
           True, "access key created for an existing service user", ["TH-IAM-016"])
    tl.add(record(tl.scenario, t(15, 2, 17), s, "s3.amazonaws.com", "PutBucketReplication", ip,
                  GHA_CLI % "s3api.put-bucket-replication", PROD,
                  request={"replication": "", "bucketName": "acme-customer-data", "Host": "acme-customer-data.s3.amazonaws.com",
                           "ReplicationConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                                                        "Role": "arn:aws:iam::%s:role/s3-replication" % PROD,
                                                        "Rule": {"ID": "backup", "Status": "Enabled", "Priority": 1,
                                                                 "Filter": {"Prefix": ""},
                                                                 "DeleteMarkerReplication": {"Status": "Disabled"},
                                                                 "Destination": {"Bucket": "arn:aws:s3:::cdn-cache-eu-7731",
                                                                                 "Account": FOREIGN,
                                                                                 "AccessControlTranslation": {
                                                                                     "Owner": "Destination"}}}}}),
           True, "customer data replicated to a foreign account", ["TH-S3-006"])
    return tl


OKTA = "arn:aws:iam::%s:saml-provider/Okta" % PROD
ADFS = "arn:aws:iam::%s:saml-provider/LegacyADFS" % PROD
ENGINEERS = "OktaEngineers"


def saml_signin(tl, time, provider, issuer, subject, ip, key_id, console_key, malicious=False, step=None, expect=None):
    idp = uid(provider)[:27] + "="
    caller = {"type": "SAMLUser", "principalId": "%s:%s" % (idp, subject), "userName": subject, "identityProvider": idp}
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (PROD, ENGINEERS, subject)
    response = credentials(key_id, time, arn, "AROA%s:%s" % (uid(ENGINEERS)[:17].upper(), subject))
    response.update({"subjectType": "persistent", "issuer": issuer, "audience": "https://signin.aws.amazon.com/saml",
                     "nameQualifier": idp, "subject": subject})
    tl.add(record(tl.scenario, time, caller, "sts.amazonaws.com", "AssumeRoleWithSAML", ip, CHROME, PROD,
                  request={"sAMLAssertionID": "_" + uid(time, subject), "roleSessionName": subject, "durationSeconds": 3600,
                           "roleArn": "arn:aws:iam::%s:role/%s" % (PROD, ENGINEERS), "principalArn": provider},
                  response=response), malicious, step, expect)
    s = role_session(PROD, ENGINEERS, subject, "", time)
    tl.add(record(tl.scenario, time[:-3] + "05Z", s, "signin.amazonaws.com", "ConsoleLogin", ip, CHROME, PROD,
                  response={"ConsoleLogin": "Success"},
                  additional={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No",
                              "MFAUsed": "No", "SamlProviderArn": provider}, event_type="AwsConsoleSignIn"), malicious)
    return role_session(PROD, ENGINEERS, subject, console_key, time)


def saml(attack):
    tl = Timeline("saml-forged-assertion" if attack else "saml-routine")
    for day in range(1, 15):
        if day % 7 in (1, 2):
            continue
        for n, person in enumerate(["alice", "bob"]):
            ip = "198.51.100.%d" % (60 + n)
            time = t(day, 8 + n, 10)
            s = saml_signin(tl, time, OKTA, "http://www.okta.com/exk1a2b3c4d5e6f7g8h9", person + "@acme.example", ip,
                            key("ASIA", tl.scenario, person, str(day)), key("ASIA", tl.scenario, person, "console", str(day)))
            tl.console_call(t(day, 8 + n, 12), s, "ec2.amazonaws.com", "DescribeInstances", ip, PROD, {})
            tl.console_call(t(day, 8 + n, 15), s, "logs.amazonaws.com", "FilterLogEvents", ip, PROD, {"logGroupName": "/ecs/app"})
    if not attack:
        s = saml_signin(tl, t(15, 9, 30), OKTA, "http://www.okta.com/exk1a2b3c4d5e6f7g8h9", "dana@acme.example",
                        "198.51.100.62", key("ASIA", tl.scenario, "dana"), key("ASIA", tl.scenario, "dana", "console"))
        tl.console_call(t(15, 9, 32), s, "ec2.amazonaws.com", "DescribeInstances", "198.51.100.62", PROD, {})
        return tl
    ip = "91.219.236.18"
    subject = "administrator@corp.acme.example"
    s = saml_signin(tl, t(15, 1, 40), ADFS, "http://adfs.corp.acme.example/adfs/services/trust", subject, ip,
                    key("ASIA", tl.scenario, "forged"), key("ASIA", tl.scenario, "forged", "console"), True,
                    "forged assertion of a second identity provider the role still trusts", ["TH-FED-002"])
    tl.console_call(t(15, 1, 43), s, "guardduty.amazonaws.com", "DeleteDetector", ip, PROD,
                    {"detectorId": "12abc34d567e8fa901bc2d34e56789f0"}, False, True, "GuardDuty detector deleted",
                    ["TH-CT-007"])
    tl.console_call(t(15, 1, 46), s, "iam.amazonaws.com", "CreateLoginProfile", ip, PROD,
                    {"userName": "ops-breakglass", "passwordResetRequired": False}, False, True,
                    "console password created for another user", ["TH-IAM-016", "TH-IAM-011"],
                    {"loginProfile": {"userName": "ops-breakglass", "createDate": "Mar 15, 2025, 1:46:00 AM",
                                      "passwordResetRequired": False}})
    tl.console_call(t(15, 1, 50), s, "s3.amazonaws.com", "PutBucketInventoryConfiguration", ip, PROD,
                    {"inventory": "", "bucketName": "acme-finance-reports", "id": "weekly",
                     "Host": "acme-finance-reports.s3.amazonaws.com",
                     "InventoryConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Id": "weekly",
                                                "IsEnabled": True, "IncludedObjectVersions": "Current",
                                                "Schedule": {"Frequency": "Daily"},
                                                "Destination": {"S3BucketDestination": {
                                                    "Format": "CSV", "AccountId": FOREIGN,
                                                    "Bucket": "arn:aws:s3:::inv-sink-44721"}}}},
                    False, True, "bucket inventory delivered to a foreign account", ["TH-S3-006"])
    return tl


def console(attack):
    tl = Timeline("console-password-theft" if attack else "console-routine-switches")
    tl.console_history("carol", IDENTITY, ("ReadOnly",))
    tl.console_history("dave", IDENTITY, ("Admin",), "198.51.100.%d", 2)
    if not attack:
        since = t(15, 8, 30)
        tl.console_login(since, IDENTITY, "carol", "198.51.100.45", CHROME, True)
        tl.switch_role(t(15, 9, 0), "arn:aws:iam::%s:user/carol" % IDENTITY, PROD, "ReadOnly", "carol", "198.51.100.45",
                       CHROME, True, t(15, 9, 0))
        # erin replaces her MFA device properly: signed in with MFA, old device off, new one on within two minutes
        tl.console_login(t(15, 10, 0), IDENTITY, "erin", "198.51.100.47", CHROME, True)
        erin = iam_user(IDENTITY, "erin", key("ASIA", tl.scenario, "erin"), True, t(15, 10, 0))
        serial = "arn:aws:iam::%s:mfa/erin" % IDENTITY
        tl.console_call(t(15, 10, 2), erin, "iam.amazonaws.com", "DeactivateMFADevice", "198.51.100.47", IDENTITY,
                        {"userName": "erin", "serialNumber": serial}, False)
        tl.console_call(t(15, 10, 2, 30), erin, "iam.amazonaws.com", "DeleteVirtualMFADevice", "198.51.100.47", IDENTITY,
                        {"serialNumber": serial}, False)
        tl.console_call(t(15, 10, 3), erin, "iam.amazonaws.com", "CreateVirtualMFADevice", "198.51.100.47", IDENTITY,
                        {"virtualMFADeviceName": "erin-pixel8"}, False,
                        response={"virtualMFADevice": {"serialNumber": "arn:aws:iam::%s:mfa/erin-pixel8" % IDENTITY}})
        tl.console_call(t(15, 10, 3, 40), erin, "iam.amazonaws.com", "EnableMFADevice", "198.51.100.47", IDENTITY,
                        {"userName": "erin", "serialNumber": "arn:aws:iam::%s:mfa/erin-pixel8" % IDENTITY}, False)
        return tl
    ip = "185.220.101.37"
    since = t(15, 3, 0)
    tl.console_login(since, IDENTITY, "carol", ip, FIREFOX, False, True, "password sign-in without MFA from a new network",
                     ["TH-CON-008"])
    carol = iam_user(IDENTITY, "carol", key("ASIA", tl.scenario, "carol", "attack"), False, since)
    serial = "arn:aws:iam::%s:mfa/carol" % IDENTITY
    tl.console_call(t(15, 3, 2), carol, "iam.amazonaws.com", "DeactivateMFADevice", ip, IDENTITY,
                    {"userName": "carol", "serialNumber": serial}, False, True, "her MFA device deactivated", ["TH-CON-009"])
    # and never replaced: ten minutes on (the next record is past them) TH-CON-011 raises the removal too
    tl.require("TH-CON-011")
    switched = t(15, 3, 4)
    tl.switch_role(switched, "arn:aws:iam::%s:user/carol" % IDENTITY, PROD, "Admin", "carol", ip, FIREFOX, False, switched,
                   True, "first console switch into production's Admin role", ["TH-CON-010"])
    admin = role_session(PROD, "Admin", "carol", key("ASIA", tl.scenario, "carol", "admin"), switched, False)
    tl.console_call(t(15, 3, 6), admin, "cloudtrail.amazonaws.com", "PutEventSelectors", ip, PROD,
                    {"trailName": "org-trail", "eventSelectors": [{"readWriteType": "ReadOnly",
                                                                    "includeManagementEvents": False,
                                                                    "dataResources": [], "excludeManagementEventSources": []}]},
                    False, True, "trail narrowed to read-only data", ["TH-CT-002"])
    tl.console_call(t(15, 3, 8), admin, "guardduty.amazonaws.com", "UpdateDetector", ip, PROD,
                    {"detectorId": "12abc34d567e8fa901bc2d34e56789f0", "enable": False}, False, True, "GuardDuty disabled",
                    ["TH-CT-007"])
    tl.console_call(t(15, 3, 11), admin, "iam.amazonaws.com", "PutRolePolicy", ip, PROD,
                    {"roleName": "app-task", "policyName": "ops",
                     "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [
                         {"Effect": "Allow", "Action": "*", "Resource": "*"}]})},
                    False, True, "a role's policy rewritten to allow everything", ["TH-IAM-004"])
    # still looking around a quarter of an hour after the removal, no new device enabled
    tl.console_call(t(15, 3, 16), carol, "iam.amazonaws.com", "ListUsers", ip, IDENTITY, {}, True, True)
    return tl


SSO_READ = "AWSReservedSSO_ReadOnlyAccess_5f0e9c3a7b2d1e46"
SSO_ADMIN_ROLE = "AWSReservedSSO_AdministratorAccess_a83d27f15c9b04e2"
SSO_PROVIDER = "arn:aws:iam::%s:saml-provider/AWSSSO_7c1e2a9b4f6d3e85_DO_NOT_DELETE" % PROD
PORTAL_ISSUER = "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/NzYxMjM0NTY3ODkwX2lucy0wOGNkMjFlNDVhZjkxYmM3"


def portal_signin(tl, time, user_id, email, ip, ua, malicious=False):
    who = {"type": "IdentityCenterUser", "accountId": SSO_ADMIN,
           "onBehalfOf": {"userId": user_id,
                          "identityStoreArn": "arn:aws:identitystore::%s:identitystore/d-9067c2f4a1" % SSO_ADMIN},
           "credentialId": uid(time, user_id)[:20]}
    flow = eid(time, user_id, "flow")
    for n, (name, cred) in enumerate([("CredentialChallenge", "PASSWORD"), ("CredentialVerification", "PASSWORD"),
                                      ("CredentialChallenge", "TOTP"), ("CredentialVerification", "TOTP")]):
        tl.add(record(tl.scenario, time[:-3] + "%02dZ" % (n * 4), who, "signin.amazonaws.com", name, ip, ua, SSO_ADMIN,
                      additional={"AuthWorkflowID": flow, "CredentialType": cred}, event_type="AwsServiceEvent"), malicious)
    tl.add(record(tl.scenario, time[:-3] + "20Z", who, "signin.amazonaws.com", "UserAuthentication", ip, ua, SSO_ADMIN,
                  additional={"AuthWorkflowID": flow, "LoginTo": "https://d-9067c2f4a1.awsapps.com/start",
                              "CredentialType": "PASSWORD,TOTP"}, event_type="AwsServiceEvent"), malicious)


def sso_console(tl, time, user_id, email, role, ip, ua, malicious=False, step=None, expect=None):
    caller = {"type": "SAMLUser", "principalId": "AWSSSO_7c1e2a9b4f6d3e85:%s" % email, "userName": email,
              "identityProvider": SSO_PROVIDER}
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (PROD, role, email)
    k = key("ASIA", tl.scenario, time, email)
    response = credentials(k, time, arn, "AROA%s:%s" % (uid(role)[:17].upper(), email))
    response.update({"subjectType": "persistent", "issuer": PORTAL_ISSUER, "audience": "https://signin.aws.amazon.com/saml",
                     "nameQualifier": uid(SSO_PROVIDER)[:27] + "=", "subject": user_id})
    tl.add(record(tl.scenario, time, caller, "sts.amazonaws.com", "AssumeRoleWithSAML", ip, ua, PROD,
                  request={"sAMLAssertionID": "_" + uid(time, email), "roleSessionName": email, "durationSeconds": 3600,
                           "roleArn": "arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s" % (PROD, role),
                           "principalArn": SSO_PROVIDER}, response=response), malicious, step, expect)
    s = role_session(PROD, role, email, "", time)
    tl.add(record(tl.scenario, time[:-3] + "03Z", s, "signin.amazonaws.com", "ConsoleLogin", ip, ua, PROD,
                  response={"ConsoleLogin": "Success"}, additional={"MobileVersion": "No", "MFAUsed": "No"},
                  event_type="AwsConsoleSignIn"), malicious)
    return role_session(PROD, role, email, key("ASIA", tl.scenario, time, email, "console"), time)


def identity_center(attack):
    tl = Timeline("identity-center-phished-user" if attack else "identity-center-routine")
    people = [("9067c2f4a1-3b1e2d4c-7a8f-4e21-9c0d-5e6f7a8b9c01", "frank@acme.example", SSO_READ, "198.51.100.71"),
              ("9067c2f4a1-8d2c4b6a-1e3f-4a5b-8c7d-9e0f1a2b3c4d", "grace@acme.example", SSO_ADMIN_ROLE, "198.51.100.72")]
    for day in range(1, 15):
        if day % 7 in (1, 2):
            continue
        for n, (user_id, email, role, ip) in enumerate(people):
            time = t(day, 9 + n, 0)
            portal_signin(tl, time, user_id, email, ip, CHROME)
            s = sso_console(tl, t(day, 9 + n, 1), user_id, email, role, ip, CHROME)
            tl.console_call(t(day, 9 + n, 3), s, "ec2.amazonaws.com", "DescribeInstances", ip, PROD, {})
            tl.console_call(t(day, 9 + n, 6), s, "s3.amazonaws.com", "ListBuckets", ip, PROD, {})
    if not attack:
        user_id, email, role, ip = people[0]
        portal_signin(tl, t(15, 9, 0), user_id, email, ip, CHROME)
        s = sso_console(tl, t(15, 9, 1), user_id, email, role, ip, CHROME)
        tl.console_call(t(15, 9, 3), s, "ec2.amazonaws.com", "DescribeInstances", ip, PROD, {})
        return tl
    user_id, email, _, _ = people[0]
    ip = "45.137.21.9"
    portal_signin(tl, t(15, 4, 20), user_id, email, ip, FIREFOX, True)
    s = sso_console(tl, t(15, 4, 21), user_id, email, SSO_ADMIN_ROLE, ip, FIREFOX, True,
                    "phished Identity Center user opens a permission set she never used, from a new network", ["TH-FED-001"])
    tl.console_call(t(15, 4, 24), s, "cloudtrail.amazonaws.com", "StopLogging", ip, PROD,
                    {"name": "arn:aws:cloudtrail:us-east-1:%s:trail/org-trail" % PROD}, False, True, "CloudTrail stopped",
                    ["TH-CT-001"])
    tl.console_call(t(15, 4, 27), s, "iam.amazonaws.com", "CreateAccessKey", ip, PROD, {"userName": "ci-deployer"}, False,
                    True, "access key created for a CI user", ["TH-IAM-016"],
                    {"accessKey": {"accessKeyId": "AKIA5PHISHEDCIKEY01", "status": "Active", "userName": "ci-deployer",
                                   "createDate": "Mar 15, 2025, 4:27:00 AM"}})
    tl.console_call(t(15, 4, 30), s, "s3.amazonaws.com", "PutBucketReplication", ip, PROD,
                    {"replication": "", "bucketName": "acme-payroll", "Host": "acme-payroll.s3.amazonaws.com",
                     "ReplicationConfiguration": {"Role": "arn:aws:iam::%s:role/s3-replication" % PROD,
                                                  "Rule": {"ID": "dr", "Status": "Enabled", "Priority": 1,
                                                           "Filter": {"Prefix": ""},
                                                           "DeleteMarkerReplication": {"Status": "Disabled"},
                                                           "Destination": {"Bucket": "arn:aws:s3:::dr-copy-55190",
                                                                           "Account": FOREIGN}}}},
                    False, True, "payroll bucket replicated to a foreign account", ["TH-S3-006"])
    return tl


ROOTS = {
    "oidc-foreign-repo": GITHUB + ":repo:evilcorp-labs/payload:ref:refs/heads/main",
    "saml-forged-assertion": ADFS + ":administrator@corp.acme.example",
    "console-password-theft": "arn:aws:iam::%s:user/carol" % IDENTITY,
    "identity-center-phished-user": SSO_PROVIDER + ":9067c2f4a1-3b1e2d4c-7a8f-4e21-9c0d-5e6f7a8b9c01",
}


GOLDEN = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "rules")


def golden_events(tl, rule, keep, change=None):
    """Events of {@code tl} whose row {@code keep} accepts, made the rule's own: its own accounts (one driver runs every rule's
    golden events, so their principals must not meet) and eventIDs, with {@code change} applied to the last one."""
    tag = rule.lower().replace("th-", "").replace("-", "")
    out = []
    rows = sorted((r for r in tl.rows if keep(r)), key=lambda r: r["event"]["eventTime"])
    for n, row in enumerate(rows):
        text = json.dumps(row["event"], separators=(",", ":"))
        for account, suffix in ((PROD, "1"), (IDENTITY, "3"), (SSO_ADMIN, "4")):
            text = text.replace(account, "7%s%s%s" % (tag[-3:].rjust(3, "0")[:3], "0" * 7, suffix)[:12])
        event = json.loads(text)
        event["eventID"] = "golden-%s-%s" % (tag, event["eventID"][:23])
        if change and n == len(rows) - 1:
            change(event)
        out.append(json.dumps(event, separators=(",", ":")))
    return out


def write_golden(rule, positive, negative):
    os.makedirs(os.path.join(GOLDEN, rule), exist_ok=True)
    for name, lines in (("positive.jsonl", positive), ("negative.jsonl", negative)):
        with open(os.path.join(GOLDEN, rule, name), "w") as f:
            f.write("\n".join(lines) + "\n")


def history_or(*steps):
    return lambda r: not r["malicious"] or r.get("step", "").startswith(steps)


def golden():
    day15 = lambda r: r["event"]["eventTime"].startswith("2025-03-15")
    oidc_attack, oidc_benign = oidc(True), oidc(False)
    console_attack, console_benign = console(True), console(False)
    saml_attack, saml_benign = saml(True), saml(False)

    def denied(e):
        e["errorCode"], e["errorMessage"] = "AccessDenied", "User is not authorized to perform this operation"
        e["responseElements"] = None

    def update_login(e):
        e["eventName"] = "UpdateLoginProfile"
        e["requestParameters"] = {"userName": "ops-breakglass", "passwordResetRequired": True}
        e["responseElements"] = None

    def same_account(e):
        del e["requestParameters"]["ReplicationConfiguration"]["Rule"]["Destination"]["Account"]
        e["requestParameters"]["ReplicationConfiguration"]["Rule"]["Destination"]["Bucket"] = "arn:aws:s3:::acme-dr-copy"

    write_golden("TH-FED-001", golden_events(saml_benign, "TH-FED-001", lambda r: True),
                 golden_events(oidc_attack, "TH-FED-001", lambda r: not r["malicious"]))
    write_golden("TH-FED-002", golden_events(oidc_attack, "TH-FED-002", history_or("web identity")),
                 golden_events(oidc_benign, "TH-FED-002", lambda r: True))
    write_golden("TH-CON-008", golden_events(console_attack, "TH-CON-008", history_or("password sign-in")),
                 golden_events(console_benign, "TH-CON-008", lambda r: True))
    write_golden("TH-CON-009", golden_events(console_attack, "TH-CON-009", lambda r: day15(r) and r["malicious"]
                                             and r.get("step", "").startswith(("password", "her MFA"))),
                 golden_events(console_benign, "TH-CON-009", day15))
    write_golden("TH-CON-011", golden_events(console_attack, "TH-CON-011",
                                             lambda r: history_or("password", "her MFA")(r) or r["event"]["eventName"] == "ListUsers"),
                 golden_events(console_benign, "TH-CON-011", lambda r: True))
    write_golden("TH-CON-010", golden_events(console_attack, "TH-CON-010", history_or("password", "her MFA", "first console")),
                 golden_events(console_benign, "TH-CON-010", lambda r: True))
    write_golden("TH-IAM-016", golden_events(oidc_attack, "TH-IAM-016", history_or("web identity", "access key")),
                 golden_events(oidc_attack, "TH-IAM-016", history_or("web identity", "access key"), denied))
    write_golden("TH-IAM-017", golden_events(saml_attack, "TH-IAM-017", history_or("forged", "console password"),
                                             update_login),
                 golden_events(saml_attack, "TH-IAM-017", history_or("forged", "console password"), denied))
    write_golden("TH-S3-006", golden_events(oidc_attack, "TH-S3-006", lambda r: r.get("step", "").startswith("customer"))
                 + golden_events(saml_attack, "TH-S3-006", lambda r: r.get("step", "").startswith("bucket inventory")),
                 golden_events(oidc_attack, "TH-S3-006", lambda r: r.get("step", "").startswith("customer"), same_account))


def step_of(row):
    step = {"step": row["step"], "rules": row["expect"]}
    if "require" in row:
        step["required"] = row["require"]
    return step


def main():
    golden()
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for build in (oidc, saml, console, identity_center):
        for attack in (True, False):
            tl = build(attack)
            with open(os.path.join(OUT, tl.scenario + ".jsonl"), "w") as f:
                for row in sorted(tl.rows, key=lambda r: r["event"]["eventTime"]):
                    f.write(json.dumps(row, separators=(",", ":")) + "\n")
            if attack:
                expected[tl.scenario] = {"attack": True, "incidents": 1, "root": ROOTS[tl.scenario],
                                         "steps": {r["event"]["eventID"]: step_of(r) for r in tl.rows if "step" in r}}
            else:
                expected[tl.scenario] = {"attack": False, "maxSeverity": "LOW"}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
