package io.trailhound.demo.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.demo.sample.SampleOrganization.RoleRef;

/**
 * Machines of the sample organization: the production instances (role {@code app-server}) reading their parameters and
 * keys and writing logs every four hours, and the ETL workers of the data account. Instance credentials rotate every six hours.
 */
final class Workloads {

    private final EventFactory events;
    private final Map<String, String> keys = new HashMap<>();

    Workloads(EventFactory events) {
        this.events = events;
    }

    /** The instance-role key {@code instance} holds at {@code t} (stable within a six-hour block). */
    String instanceKey(String instance, Instant t) {
        long block = t.getEpochSecond() / Duration.ofHours(6).toSeconds();
        return keys.computeIfAbsent(instance + "@" + block, k -> events.accessKeyId("ASIA"));
    }

    /** The session {@code instance} calls with at {@code t}. */
    Identity instanceSession(RoleRef role, String instance, Instant t) {
        return Identity.session(role.account(), role.name(), role.roleId(), instance, instanceKey(instance, t));
    }

    List<SampleEvent> day(Instant day) {
        List<SampleEvent> out = new ArrayList<>();
        String[] instances = {SampleOrganization.APP_INSTANCE, SampleOrganization.APP_INSTANCE_2};
        for (int slot = 0; slot < 6; slot++) {
            Instant t = day.plus(Duration.ofMinutes(slot * 240L + events.nextInt(60)));
            for (int i = 0; i < instances.length; i++) {
                Identity s = instanceSession(SampleOrganization.PROD_APP, instances[i], t);
                String ip = "10.20.1." + (31 + i * 12);
                String ua = SampleOrganization.APP_SDK;
                out.add(events.call(s, t, "ssm.amazonaws.com", "GetParameter").from(ip, ua)
                    .request(EventFactory.object().put("name", "/acme/api/feature-flags")).build());
                out.add(events.call(s, t.plusSeconds(2), "kms.amazonaws.com", "Decrypt").from(ip, ua)
                    .request(EventFactory.object().put("encryptionAlgorithm", "SYMMETRIC_DEFAULT")).build());
                out.add(events.call(s, t.plusSeconds(5), "logs.amazonaws.com", "CreateLogStream").from(ip, ua)
                    .request(EventFactory.object().put("logGroupName", "/acme/api").put("logStreamName", instances[i] + "-" + slot))
                    .build());
            }
            Identity etl = instanceSession(SampleOrganization.DATA_ETL, "i-0e7d9c1b3a5f86420", t);
            String region = SampleOrganization.EU_WEST_1;
            out.add(events.call(etl, t.plusSeconds(40), "glue.amazonaws.com", "GetTable").region(region)
                .from("10.40.2.15", SampleOrganization.ETL_SDK).request(EventFactory.object().put("databaseName", "events")).build());
            out.add(events.call(etl, t.plusSeconds(44), "athena.amazonaws.com", "StartQueryExecution").region(region)
                .from("10.40.2.15", SampleOrganization.ETL_SDK).build());
        }
        return out;
    }
}
