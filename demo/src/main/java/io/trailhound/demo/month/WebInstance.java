package io.trailhound.demo.month;

import java.time.Instant;

/**
 * One instance of the web tier's Auto Scaling group, with its addresses. Not a record: it learns when it is terminated.
 */
final class WebInstance {

    final String id;
    final String publicIp;
    final String privateIp;
    final String eni;
    final String subnet;
    final String zone;
    final Instant launched;
    private Instant terminated;

    WebInstance(String id, String publicIp, String privateIp, String eni, String subnet, String zone, Instant launched) {
        this.id = id;
        this.publicIp = publicIp;
        this.privateIp = privateIp;
        this.eni = eni;
        this.subnet = subnet;
        this.zone = zone;
        this.launched = launched;
    }

    Instant terminated() {
        return terminated;
    }

    void terminate(Instant time) {
        terminated = time;
    }

    boolean aliveAt(Instant time) {
        return !time.isBefore(launched) && (terminated == null || time.isBefore(terminated));
    }

    String privateDns() {
        return "ip-" + privateIp.replace('.', '-') + ".ec2.internal";
    }
}
