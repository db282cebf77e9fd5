package io.trailhound.demo.sample;

import static io.trailhound.demo.sample.SampleOrganization.ATTACKER_IP;
import static io.trailhound.demo.sample.SampleOrganization.ATTACKER_SDK;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The intrusion: dana's leaked access key used from a new network with a new client, reconnaissance, a pivot into the
 * production account through a role nobody uses, persistence, the account's own trail stopped, data exposed, and the
 * production instance's role credentials used from outside AWS.
 */
final class Intrusion {

    private final EventFactory events;
    private final List<SampleEvent> out = new ArrayList<>();

    Intrusion(EventFactory events) {
        this.events = events;
    }

    /** The records, starting at {@code start}; {@code dana} is the leaked identity. */
    List<SampleEvent> generate(Identity dana, Workloads workloads, Instant start) {
        recon(dana, start);
        // the pivot's AssumeRole closes one five-minute log file and the role's calls open the next, as CloudTrail would
        // deliver them minutes apart
        Identity pivot = pivot(dana, start.plus(Duration.ofSeconds(9 * 60 + 30)));
        persistence(pivot, start.plus(Duration.ofMinutes(12)));
        evasionAndExposure(pivot, start.plus(Duration.ofMinutes(16)));
        stolenInstanceCredentials(workloads, start.plus(Duration.ofMinutes(27)));
        return out;
    }

    private EventFactory.Call call(Identity who, Instant t, String source, String name) {
        return events.call(who, t, source, name).from(ATTACKER_IP, ATTACKER_SDK);
    }

    private void recon(Identity dana, Instant t) {
        String[][] calls = {{"sts.amazonaws.com", "GetCallerIdentity"}, {"iam.amazonaws.com", "ListAttachedUserPolicies"},
            {"iam.amazonaws.com", "ListUsers"}, {"iam.amazonaws.com", "ListRoles"}, {"s3.amazonaws.com", "ListBuckets"},
            {"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "DescribeRegions"},
            {"organizations.amazonaws.com", "DescribeOrganization"}};
        for (int i = 0; i < calls.length; i++) {
            out.add(call(dana, t.plusSeconds(i * 25L), calls[i][0], calls[i][1]).build());
        }
        out.add(call(dana, t.plusSeconds(230), "secretsmanager.amazonaws.com", "ListSecrets")
            .error("AccessDenied", "User: arn:aws:iam::111111111111:user/dana is not authorized to perform: secretsmanager:ListSecrets")
            .build());
        out.add(call(dana, t.plusSeconds(260), "organizations.amazonaws.com", "ListAccounts").build());
    }

    private Identity pivot(Identity dana, Instant t) {
        String key = events.accessKeyId("ASIA");
        out.add(BenignHistory.assumeRecord(events, dana, SampleOrganization.PROD_PIVOT, "dana", key, t, ATTACKER_IP, ATTACKER_SDK));
        Identity pivot = Identity.session(SampleOrganization.PROD, SampleOrganization.PIVOT_ROLE,
            SampleOrganization.PROD_PIVOT.roleId(), "dana", key);
        out.add(call(pivot, t.plusSeconds(40), "sts.amazonaws.com", "GetCallerIdentity").build());
        out.add(call(pivot, t.plusSeconds(60), "iam.amazonaws.com", "ListUsers").build());
        out.add(call(pivot, t.plusSeconds(80), "ec2.amazonaws.com", "DescribeInstances").build());
        out.add(call(pivot, t.plusSeconds(100), "cloudtrail.amazonaws.com", "DescribeTrails").build());
        out.add(call(pivot, t.plusSeconds(120), "s3.amazonaws.com", "ListBuckets").build());
        return pivot;
    }

    private void persistence(Identity pivot, Instant t) {
        String user = SampleOrganization.BACKDOOR_USER;
        ObjectNode created = EventFactory.object();
        created.putObject("user").put("userName", user).put("userId", "AIDAEXAMPLEBACKDOOR9")
            .put("arn", "arn:aws:iam::" + SampleOrganization.PROD + ":user/" + user).put("path", "/");
        out.add(call(pivot, t, "iam.amazonaws.com", "CreateUser").request(EventFactory.object().put("userName", user))
            .response(created).build());
        out.add(call(pivot, t.plusSeconds(35), "iam.amazonaws.com", "AttachUserPolicy").request(EventFactory.object()
            .put("userName", user).put("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")).build());
        ObjectNode key = EventFactory.object();
        key.putObject("accessKey").put("userName", user).put("accessKeyId", events.accessKeyId("AKIA")).put("status", "Active")
            .put("createDate", t.plusSeconds(70).toString());
        out.add(call(pivot, t.plusSeconds(70), "iam.amazonaws.com", "CreateAccessKey")
            .request(EventFactory.object().put("userName", user)).response(key).build());
    }

    private void evasionAndExposure(Identity pivot, Instant t) {
        out.add(call(pivot, t, "cloudtrail.amazonaws.com", "StopLogging")
            .request(EventFactory.object().put("name", SampleOrganization.PROD_TRAIL)).build());
        // a key pushed through EC2 Instance Connect opens a shell on the instance: the miner and the stolen role
        // credentials come from there
        ObjectNode key = EventFactory.object().put("instanceId", SampleOrganization.APP_INSTANCE).put("instanceOSUser", "ec2-user")
            .put("sSHPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE0 kali");
        out.add(call(pivot, t.plusSeconds(120), "ec2-instance-connect.amazonaws.com", "SendSSHPublicKey").request(key)
            .response(EventFactory.object().put("requestId", events.uuid()).put("success", true)).build());
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + SampleOrganization.EXPOSED_BUCKET + "/*\"}]}";
        ObjectNode bucketPolicy = EventFactory.object().put("bucketName", SampleOrganization.EXPOSED_BUCKET).put("Host",
            SampleOrganization.EXPOSED_BUCKET + ".s3.amazonaws.com");
        bucketPolicy.set("bucketPolicy", EventFactory.parse(policy));
        bucketPolicy.putArray("policy").add("");
        out.add(call(pivot, t.plusSeconds(240), "s3.amazonaws.com", "PutBucketPolicy").request(bucketPolicy).build());
        ObjectNode share = EventFactory.object().put("snapshotId", SampleOrganization.EXPOSED_SNAPSHOT)
            .put("attributeType", "CREATE_VOLUME_PERMISSION");
        share.putObject("createVolumePermission").putObject("add").putArray("items").addObject().put("group", "all");
        out.add(call(pivot, t.plusSeconds(300), "ec2.amazonaws.com", "ModifySnapshotAttribute").request(share)
            .response(EventFactory.object().put("_return", true)).build());
    }

    private void stolenInstanceCredentials(Workloads workloads, Instant t) {
        Identity stolen = workloads.instanceSession(SampleOrganization.PROD_APP, SampleOrganization.APP_INSTANCE, t);
        String[][] calls = {{"sts.amazonaws.com", "GetCallerIdentity"}, {"s3.amazonaws.com", "ListBuckets"},
            {"ec2.amazonaws.com", "DescribeInstances"}, {"secretsmanager.amazonaws.com", "ListSecrets"}};
        for (int i = 0; i < calls.length; i++) {
            out.add(events.call(stolen, t.plusSeconds(i * 45L), calls[i][0], calls[i][1])
                .from(ATTACKER_IP, SampleOrganization.ATTACKER_CLI).build());
        }
    }
}
