package io.trailhound.demo.month;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benign month of issue 13's noise benchmark: deterministic, in time order, complete, and with every category. */
class BenignMonthTest {

    private static final Instant START = MonthSettings.DEFAULT.start();
    private static MonthStats month;

    @BeforeAll
    static void generateTheMonth() {
        month = new MonthStats();
        long total = new BenignMonth(MonthSettings.DEFAULT).generate(day -> day.forEach(month::accept));
        assertEquals(total, month.records);
    }

    @Test
    void shouldGenerateTheSameRecordsForTheSameSeedOnly() throws Exception {
        assertEquals(digest(13), digest(13));
        assertNotEquals(digest(13), digest(14));
    }

    @Test
    void shouldHaveAMonthOfTheIssuesSize() {
        assertTrue(month.records >= 110_000 && month.records <= 125_000, month.records + " records");
    }

    @Test
    void shouldWriteEveryRecordWithCloudTrailsKeyFieldsInTimeOrder() {
        assertEquals(0, month.missingFields, "records missing a key field");
        assertEquals(0, month.outOfOrder, "records earlier than the one before");
    }

    @Test
    void shouldReplaceWebInstancesThatCallFromTheirOwnAddressInAwsEc2Ranges() {
        assertTrue(month.launched.size() >= 100, month.launched.size() + " launches by Auto Scaling");
        Set<String> addresses = new HashSet<>();
        for (String instance : month.launched) {
            Set<String> from = month.instanceAddresses.get(instance);
            assertTrue(from != null && from.size() == 1, instance + " called from " + from);
            String ip = from.iterator().next();
            assertTrue(Addresses.EC2_US_EAST_1.stream().anyMatch(cidr -> Addresses.contains(cidr, ip)), ip + " outside EC2 ranges");
            addresses.add(ip);
        }
        assertTrue(addresses.size() >= month.launched.size() - 1, "a fresh address per instance");
        assertTrue(month.ec2RoleDelivery > 0 && month.viaEndpoint > 0, "instance sessions and endpoint calls");
    }

    @Test
    void shouldHaveSixPasswordTyposEachFollowedBySuccessWithinAMinuteFromTheSameAddress() {
        assertEquals(6, month.failedSignIns);
        assertEquals(6, month.typosThenSuccess);
    }

    @Test
    void shouldShareOneBucketWithAnotherAccountOfTheOrganization() {
        assertEquals(1, month.sameOrgBucketShares);
    }

    @Test
    void shouldDeployFromRepositoriesOfOneGitHubOrganizationWithANewOneMidMonth() {
        assertTrue(month.webIdentitySubjects.size() > 100);
        assertTrue(month.webIdentitySubjects.stream().allMatch(s -> s.startsWith("repo:" + Org.GITHUB_ORG + "/")));
        assertTrue(month.firstNewRepository != null && month.firstNewRepository.isAfter(START.plus(Duration.ofDays(10))));
    }

    @Test
    void shouldOnboardTwoNewHiresAfterDayTen() {
        for (String hire : List.of("grace.okafor", "henrik.berg")) {
            Instant first = month.firstSeen.get(hire);
            assertTrue(first != null && first.isAfter(START.plus(Duration.ofDays(10))), hire + " first seen " + first);
        }
    }

    @Test
    void shouldHaveTheOtherCategories() {
        assertEquals(3, month.platformMovers.size(), "developers assuming PlatformEngineer with MFA");
        assertEquals(5, month.keyDeletes, "rotations ending with the old key deleted");
        assertEquals(5 * 30, month.auditAssumes, "daily SecurityAudit in every account");
        assertEquals(5, month.lambdaSessions.size(), "Lambda functions");
        assertTrue(month.ssoSessions > 0 && month.samlUsers > 0 && month.mfaConsoleLogins > 0);
        assertTrue(month.serviceCallers.containsAll(Set.of("config.amazonaws.com", "autoscaling.amazonaws.com",
            "backup.amazonaws.com", "cloudtrail.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com")), month.serviceCallers
            .toString());
        assertTrue(month.accessDenied > 0);
    }

    @Test
    void shouldWriteAnOrganizationTrailInAwsLayout(@TempDir Path dir) throws Exception {
        OrgTrailFiles files = new OrgTrailFiles(dir);
        new BenignMonth(MonthSettings.of(1, 13)).generate(files::write);
        List<Path> written;
        try (Stream<Path> walk = Files.walk(dir)) {
            written = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(files.files(), written.size());
        String pattern = "AWSLogs/" + Org.ORG_ID + "/\\d{12}/CloudTrail/[a-z0-9-]+/2026/10/01/\\d{12}_CloudTrail_[a-z0-9-]+_"
            + "20261001T\\d{4}Z_[0-9a-f]{16}\\.json\\.gz";
        assertTrue(written.stream().allMatch(p -> dir.relativize(p).toString().matches(pattern)), written.get(0).toString());
    }

    private static String digest(long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        new BenignMonth(MonthSettings.of(2, seed)).generate(day -> day.forEach(e -> sha.update(e.json().toString().getBytes())));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** What the tests check, gathered in one pass over the month (the month is never held in memory). */
    private static final class MonthStats {
        long records;
        int missingFields;
        int outOfOrder;
        Instant last = Instant.EPOCH;
        final List<String> launched = new ArrayList<>();
        final Map<String, Set<String>> instanceAddresses = new HashMap<>();
        int ec2RoleDelivery;
        int viaEndpoint;
        int failedSignIns;
        int typosThenSuccess;
        final Map<String, JsonNode> lastFailure = new HashMap<>();
        int sameOrgBucketShares;
        final List<String> webIdentitySubjects = new ArrayList<>();
        Instant firstNewRepository;
        final Map<String, Instant> firstSeen = new HashMap<>();
        final Set<String> platformMovers = new HashSet<>();
        int keyDeletes;
        int auditAssumes;
        final Set<String> lambdaSessions = new HashSet<>();
        int ssoSessions;
        int samlUsers;
        int mfaConsoleLogins;
        final Set<String> serviceCallers = new HashSet<>();
        int accessDenied;

        void accept(MonthEvent event) {
            JsonNode e = event.json();
            records++;
            for (String field : List.of("eventID", "eventTime", "eventName", "eventSource", "awsRegion", "recipientAccountId")) {
                missingFields += e.path(field).asText().isEmpty() ? 1 : 0;
            }
            Instant time = Instant.parse(e.path("eventTime").asText());
            outOfOrder += time.isBefore(last) ? 1 : 0;
            last = time;
            JsonNode who = e.path("userIdentity");
            String name = e.path("eventName").asText();
            String ip = e.path("sourceIPAddress").asText();
            String arn = who.path("arn").asText();
            if (who.hasNonNull("userName") && "IAMUser".equals(who.path("type").asText())) {
                firstSeen.putIfAbsent(who.path("userName").asText(), time);
            }
            if (who.hasNonNull("invokedBy")) {
                serviceCallers.add(who.path("invokedBy").asText());
            }
            accessDenied += e.path("errorCode").asText().contains("Unauthorized") || e.path("errorCode").asText()
                .startsWith("AccessDenied") ? 1 : 0;
            webTier(e, who, name, ip, arn);
            signIns(e, who, name, ip, time);
            deployments(e, name, time);
            identities(e, who, name, arn);
        }

        private void webTier(JsonNode e, JsonNode who, String name, String ip, String arn) {
            if ("RunInstances".equals(name) && arn.contains("AWSServiceRoleForAutoScaling")) {
                launched.add(e.at("/responseElements/instancesSet/items/0/instanceId").asText());
            }
            if (arn.contains(":assumed-role/web-tier-role/")) {
                ec2RoleDelivery += who.at("/sessionContext/ec2RoleDelivery").isMissingNode() ? 0 : 1;
                if (e.hasNonNull("vpcEndpointId")) {
                    viaEndpoint++;
                } else if (!ip.endsWith(".amazonaws.com")) {
                    instanceAddresses.computeIfAbsent(arn.substring(arn.lastIndexOf('/') + 1), k -> new HashSet<>()).add(ip);
                }
            }
        }

        private void signIns(JsonNode e, JsonNode who, String name, String ip, Instant time) {
            if (!"ConsoleLogin".equals(name)) {
                return;
            }
            String user = who.path("userName").asText(who.path("arn").asText());
            if ("Failure".equals(e.at("/responseElements/ConsoleLogin").asText())) {
                failedSignIns++;
                lastFailure.put(user, e);
                return;
            }
            mfaConsoleLogins += "Yes".equals(e.at("/additionalEventData/MFAUsed").asText()) ? 1 : 0;
            JsonNode failure = lastFailure.remove(user);
            if (failure != null && failure.path("sourceIPAddress").asText().equals(ip)
                && Duration.between(Instant.parse(failure.path("eventTime").asText()), time).getSeconds() <= 60) {
                typosThenSuccess++;
            }
        }

        private void deployments(JsonNode e, String name, Instant time) {
            String account = e.path("recipientAccountId").asText();
            if ("PutBucketPolicy".equals(name)) {
                String principal = e.at("/requestParameters/bucketPolicy/Statement/0/Principal/AWS").asText();
                String other = principal.replaceAll("arn:aws:iam::(\\d{12}):.*", "$1");
                sameOrgBucketShares += Org.ACCOUNTS.contains(other) && !other.equals(account) ? 1 : 0;
            }
            if ("AssumeRoleWithWebIdentity".equals(name)) {
                String subject = e.at("/responseElements/subjectFromWebIdentityToken").asText();
                webIdentitySubjects.add(subject);
                if (subject.contains("/" + GitHubDeploys.NEW_REPOSITORY + ":") && firstNewRepository == null) {
                    firstNewRepository = time;
                }
            }
        }

        private void identities(JsonNode e, JsonNode who, String name, String arn) {
            String account = e.path("recipientAccountId").asText();
            String roleArn = e.at("/requestParameters/roleArn").asText();
            if ("AssumeRole".equals(name) && roleArn.endsWith(":role/" + TeamChanges.ROLE)
                && e.at("/requestParameters/serialNumber").isTextual()) {
                platformMovers.add(who.path("userName").asText());
            }
            auditAssumes += "AssumeRole".equals(name) && roleArn.endsWith(":role/SecurityAudit") && roleArn.contains(account) ? 1 : 0;
            keyDeletes += "DeleteAccessKey".equals(name) ? 1 : 0;
            if (who.at("/sessionContext/sessionIssuer/userName").asText().endsWith("-role") && e.path("userAgent").asText()
                .contains("exec-env/AWS_Lambda")) {
                lambdaSessions.add(arn.substring(arn.lastIndexOf('/') + 1));
            }
            ssoSessions += arn.contains(":assumed-role/AWSReservedSSO_") && arn.endsWith("@" + Org.EMAIL_DOMAIN) ? 1 : 0;
            samlUsers += "SAMLUser".equals(who.path("type").asText()) ? 1 : 0;
            assertFalse(arn.contains("null"), arn);
        }
    }
}
