package io.trailhound.demo.sample;

import static io.trailhound.demo.sample.SampleOrganization.AWS_CLI;
import static io.trailhound.demo.sample.SampleOrganization.CONSOLE;
import static io.trailhound.demo.sample.SampleOrganization.OFFICE_NET;
import static io.trailhound.demo.sample.SampleOrganization.US_EAST_1;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.demo.sample.SampleOrganization.Person;
import io.trailhound.demo.sample.SampleOrganization.RoleRef;

/**
 * Two weeks of ordinary work in the sample organization: people signing in and reading through the console and the CLI,
 * assuming their usual roles, the CI deploying to production, instances and ETL workers calling their services.
 */
final class BenignHistory {

    private final EventFactory events;
    private final Map<String, Identity> users = new LinkedHashMap<>();
    private final List<SampleEvent> out = new ArrayList<>();
    private final Workloads workloads;

    BenignHistory(EventFactory events) {
        this.events = events;
        for (Person p : SampleOrganization.PEOPLE) {
            users.put(p.name(), Identity.user(SampleOrganization.IDENTITY, p.name(), p.userId(), events.accessKeyId("AKIA")));
        }
        Person ci = SampleOrganization.CI;
        users.put(ci.name(), Identity.user(SampleOrganization.IDENTITY, ci.name(), ci.userId(), events.accessKeyId("AKIA")));
        this.workloads = new Workloads(events);
    }

    /** The IAM users with their long-term keys, by name. */
    Map<String, Identity> users() {
        return users;
    }

    /** The machines, whose instance keys the intrusion reuses. */
    Workloads workloads() {
        return workloads;
    }

    /** Every record from {@code start} (inclusive) for {@code days} days, stopping before {@code end}. */
    List<SampleEvent> generate(Instant start, int days, Instant end) {
        Instant day0 = start.truncatedTo(ChronoUnit.DAYS);
        for (int d = 0; d < days; d++) {
            Instant day = day0.plus(Duration.ofDays(d));
            boolean weekday = d == 0 || isWeekday(day);
            for (Person p : SampleOrganization.PEOPLE) {
                person(p, day, d == 0, weekday);
            }
            if (weekday) {
                ci(day);
            }
            out.addAll(workloads.day(day));
        }
        out.removeIf(e -> e.time().isBefore(start) || !e.time().isBefore(end));
        return out;
    }

    private static boolean isWeekday(Instant day) {
        DayOfWeek dow = day.atZone(ZoneOffset.UTC).getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    private void person(Person p, Instant day, boolean first, boolean weekday) {
        Identity me = users.get(p.name());
        String office = OFFICE_NET + (20 + SampleOrganization.PEOPLE.indexOf(p));
        String home = p.homeNet() + (10 + SampleOrganization.PEOPLE.indexOf(p) * 7);
        if (weekday) {
            Instant t = day.plus(Duration.ofMinutes(13 * 60 + events.nextInt(90)));
            consoleSession(me.withMfa(), t, office);
            cliSession(p, me, t.plus(Duration.ofMinutes(40 + events.nextInt(120))), office);
        }
        if (first || events.nextInt(4) == 0) {
            Instant evening = day.plus(Duration.ofMinutes(22 * 60 + events.nextInt(80)));
            cliSession(p, me, evening, home);
        }
    }

    private void consoleSession(Identity me, Instant t, String ip) {
        ObjectNode response = EventFactory.object().put("ConsoleLogin", "Success");
        SampleEvent login = events.call(me, t, "signin.amazonaws.com", "ConsoleLogin").from(ip, CONSOLE).response(response).build();
        login.json().putObject("additionalEventData").put("LoginTo", "https://console.aws.amazon.com/console/home")
            .put("MobileVersion", "No").put("MFAUsed", "Yes");
        login.json().put("eventType", "AwsConsoleSignIn");
        login.json().put("readOnly", false);
        out.add(login);
        String[][] reads = {{"iam.amazonaws.com", "GetUser"}, {"cloudwatch.amazonaws.com", "DescribeAlarms"},
            {"health.amazonaws.com", "DescribeEventAggregates"}, {"ce.amazonaws.com", "GetCostAndUsage"}};
        for (int i = 0; i < 3 + events.nextInt(3); i++) {
            String[] call = reads[events.nextInt(reads.length)];
            out.add(events.call(me, t.plusSeconds(30L + i * 47L), call[0], call[1]).from(ip, CONSOLE).build());
        }
    }

    private void cliSession(Person p, Identity me, Instant t, String ip) {
        String ua = AWS_CLI;
        out.add(events.call(me, t, "cloudformation.amazonaws.com", "ListStacks").from(ip, ua + "cloudformation.list-stacks").build());
        out.add(events.call(me, t.plusSeconds(20), "ecr.amazonaws.com", "DescribeRepositories").from(ip, ua + "ecr.describe-repositories")
            .build());
        Instant next = t.plusSeconds(60);
        for (RoleRef role : p.roles()) {
            Identity session = assume(me, role, p.name(), next, ip, ua + "sts.assume-role");
            String region = role.account().equals(SampleOrganization.DATA) ? SampleOrganization.EU_WEST_1 : US_EAST_1;
            roleReads(session, role, next.plusSeconds(15), ip, region);
            next = next.plusSeconds(300);
        }
    }

    private void roleReads(Identity session, RoleRef role, Instant t, String ip, String region) {
        String[][] calls = role.account().equals(SampleOrganization.DATA)
            ? new String[][] {{"athena.amazonaws.com", "StartQueryExecution"}, {"athena.amazonaws.com", "GetQueryResults"},
                {"glue.amazonaws.com", "GetTables"}}
            : new String[][] {{"ec2.amazonaws.com", "DescribeInstances"}, {"logs.amazonaws.com", "FilterLogEvents"},
                {"cloudwatch.amazonaws.com", "GetMetricData"}, {"rds.amazonaws.com", "DescribeDBInstances"},
                {"ecs.amazonaws.com", "DescribeServices"}};
        for (int i = 0; i < 2 + events.nextInt(4); i++) {
            String[] call = calls[events.nextInt(calls.length)];
            out.add(events.call(session, t.plusSeconds(i * 33L), call[0], call[1]).region(region)
                .from(ip, AWS_CLI + "ec2.describe-instances").build());
        }
    }

    /** An AssumeRole call of {@code caller} into {@code role}; returns the new session. */
    Identity assume(Identity caller, RoleRef role, String sessionName, Instant t, String ip, String ua) {
        String key = events.accessKeyId("ASIA");
        out.add(assumeRecord(events, caller, role, sessionName, key, t, ip, ua));
        return Identity.session(role.account(), role.name(), role.roleId(), sessionName, key);
    }

    /** The CloudTrail record of {@code caller} assuming {@code role}, minting {@code key}. */
    static SampleEvent assumeRecord(EventFactory events, Identity caller, RoleRef role, String sessionName, String key, Instant t,
            String ip, String ua) {
        ObjectNode request = EventFactory.object().put("roleArn", role.arn()).put("roleSessionName", sessionName)
            .put("durationSeconds", 3600);
        ObjectNode response = EventFactory.object();
        response.putObject("credentials").put("accessKeyId", key).put("sessionToken", "IQoJb3JpZ2luX2VjEXAMPLETOKEN" + key)
            .put("expiration", t.plus(Duration.ofHours(1)).toString());
        response.putObject("assumedRoleUser").put("assumedRoleId", role.roleId() + ":" + sessionName)
            .put("arn", "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/" + sessionName);
        SampleEvent e = events.call(caller, t, "sts.amazonaws.com", "AssumeRole").from(ip, ua).request(request).response(response).build();
        e.json().putArray("resources").addObject().put("accountId", role.account()).put("type", "AWS::IAM::Role").put("ARN", role.arn());
        return e;
    }

    private void ci(Instant day) {
        Identity ci = users.get(SampleOrganization.CI.name());
        for (int run = 0; run < 3 + events.nextInt(3); run++) {
            Instant t = day.plus(Duration.ofMinutes(12 * 60 + run * 110 + events.nextInt(60)));
            String runId = "deploy-" + (7_000_000 + day.getEpochSecond() / 86_400 * 10 + run);
            Identity s = assume(ci, SampleOrganization.PROD_DEPLOY, runId, t, SampleOrganization.CI_IP, SampleOrganization.CI_CLI);
            String ip = SampleOrganization.CI_IP;
            String ua = SampleOrganization.CI_CLI;
            out.add(events.call(s, t.plusSeconds(10), "ecr.amazonaws.com", "GetAuthorizationToken").from(ip, ua).build());
            out.add(events.call(s, t.plusSeconds(70), "ecr.amazonaws.com", "PutImage").from(ip, ua)
                .request(EventFactory.object().put("repositoryName", "acme/api").put("imageTag", runId)).build());
            out.add(events.call(s, t.plusSeconds(90), "ecs.amazonaws.com", "RegisterTaskDefinition").from(ip, ua)
                .request(EventFactory.object().put("family", "acme-api")).build());
            out.add(events.call(s, t.plusSeconds(95), "ecs.amazonaws.com", "UpdateService").from(ip, ua)
                .request(EventFactory.object().put("cluster", "prod").put("service", "acme-api")).build());
            out.add(events.call(s, t.plusSeconds(140), "cloudformation.amazonaws.com", "DescribeStacks").from(ip, ua).build());
        }
    }
}
