package io.trailhound.demo.month;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Production's web tier: an Auto Scaling group in us-east-1 whose instances get public addresses. It scales out in the
 * morning and in at night, replaces an instance that fails its health check now and then, and every third day a deployment
 * refreshes every instance. Auto Scaling's own records (RunInstances, TerminateInstances, target registration) come from
 * its service-linked role; each instance's calls come from {@link InstanceCalls}.
 */
final class WebTier implements Activity {

    static final String ROLE = "web-tier-role";
    static final String GROUP = "web-asg";
    static final String TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:" + Org.PROD + ":targetgroup/web/7f3a9c1d2e4b5a60";
    private static final String[][] SUBNETS = {{"subnet-0a1b2c3d4e5f60718", "us-east-1a", "10.40.0."},
        {"subnet-0b2c3d4e5f6071829", "us-east-1b", "10.40.1."}, {"subnet-0c3d4e5f607182930", "us-east-1c", "10.40.2."}};

    private final Draw draw;
    private final InstanceCalls calls;
    private final List<WebInstance> instances = new ArrayList<>();

    WebTier(long seed, Instant start) {
        this.draw = new Draw(seed, "web-tier");
        this.calls = new InstanceCalls(seed);
        // three instances already run when the month begins; their launches are in last month's trail
        for (int i = 0; i < 3; i++) {
            instances.add(newInstance(start.minus(Duration.ofHours(20 + i * 7L))));
        }
    }

    /** Every instance the group ran during the month so far, including those launched before it. */
    List<WebInstance> instances() {
        return List.copyOf(instances);
    }

    @Override
    public void day(Day day) {
        // the group's decisions in time order, so each sees the instances of its moment
        TreeMap<Instant, Runnable> decisions = new TreeMap<>();
        Instant night = day.at(60 + draw.nextInt(60));
        decisions.put(night, () -> scaleIn(day, night, 2));
        Instant morning = day.at(12 * 60 + 40 + draw.nextInt(30));
        decisions.put(morning, () -> scaleOut(day, morning, 2));
        for (int i = draw.nextInt(3); i > 0; i--) {
            Instant unhealthy = day.at(draw.nextInt(23 * 60));
            decisions.put(unhealthy, () -> replace(day, unhealthy, 1));
        }
        if (day.index() % 3 == 1) {
            Instant refresh = day.at(18 * 60 + draw.nextInt(60));
            decisions.put(refresh, () -> replace(day, refresh, live(refresh).size()));
        }
        decisions.values().forEach(Runnable::run);
        for (WebInstance instance : instances) {
            calls.day(day, instance);
        }
    }

    private List<WebInstance> live(Instant time) {
        return instances.stream().filter(i -> i.aliveAt(time) && i.terminated() == null)
            .sorted(Comparator.comparing(i -> i.launched)).toList();
    }

    private void scaleOut(Day day, Instant time, int count) {
        for (int i = 0; i < count; i++) {
            launch(day, time.plusSeconds(i * 2L));
        }
    }

    private void scaleIn(Day day, Instant time, int count) {
        List<WebInstance> oldest = live(time);
        for (int i = 0; i < count && oldest.size() - i > 3; i++) {
            terminate(day, oldest.get(i), time.plusSeconds(i * 2L));
        }
    }

    /** Launches {@code count} new instances, then terminates as many of the oldest once the new ones are in service. */
    private void replace(Day day, Instant time, int count) {
        List<WebInstance> old = live(time);
        for (int i = 0; i < count; i++) {
            launch(day, time.plusSeconds(i * 3L));
        }
        for (int i = 0; i < count && i < old.size(); i++) {
            terminate(day, old.get(i), time.plusSeconds(300 + i * 3L));
        }
    }

    private WebInstance newInstance(Instant time) {
        String[] subnet = SUBNETS[draw.nextInt(SUBNETS.length)];
        WebInstance instance = new WebInstance("i-0" + draw.hex(16), Addresses.ec2(draw), subnet[2] + draw.between(4, 250),
            "eni-0" + draw.hex(16), subnet[0], subnet[1], time);
        return instance;
    }

    private void launch(Day day, Instant time) {
        WebInstance instance = newInstance(time);
        instances.add(instance);
        Who autoscaling = autoScalingSession(time);
        day.add(new Call(autoscaling, time, "ec2.amazonaws.com", "RunInstances").from("autoscaling.amazonaws.com",
            "autoscaling.amazonaws.com").request(LaunchRecords.request(draw, instance))
            .response(LaunchRecords.response(draw, instance)), draw);
        day.add(new Call(autoscaling, time.plusSeconds(95), "elasticloadbalancing.amazonaws.com", "RegisterTargets")
            .from("autoscaling.amazonaws.com", "autoscaling.amazonaws.com").request(targets(instance)), draw);
    }

    private void terminate(Day day, WebInstance instance, Instant time) {
        Who autoscaling = autoScalingSession(time);
        day.add(new Call(autoscaling, time.minusSeconds(300), "elasticloadbalancing.amazonaws.com", "DeregisterTargets")
            .from("autoscaling.amazonaws.com", "autoscaling.amazonaws.com").request(targets(instance)), draw);
        day.add(new Call(autoscaling, time, "ec2.amazonaws.com", "TerminateInstances").from("autoscaling.amazonaws.com",
            "autoscaling.amazonaws.com").request(Json.of("instancesSet", Json.items(Json.of("instanceId", instance.id))))
            .response(Json.of("requestId", draw.uuid(), "instancesSet", Json.items(Json.of("instanceId", instance.id,
                "currentState", Json.of("code", 32, "name", "shutting-down"),
                "previousState", Json.of("code", 16, "name", "running"))))), draw);
        instance.terminate(time);
    }

    private Who autoScalingSession(Instant time) {
        return Sts.session(draw, Org.PROD, "AWSServiceRoleForAutoScaling", "AutoScaling", time.minusSeconds(600));
    }

    private static ObjectNode targets(WebInstance instance) {
        return Json.of("targetGroupArn", TARGET_GROUP, "targets", Json.array(Json.of("id", instance.id, "port", 443)));
    }
}
