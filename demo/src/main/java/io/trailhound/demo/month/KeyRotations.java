package io.trailhound.demo.month;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Access-key rotations the way people do them: create a second key with the old one, switch their tools to the new key,
 * deactivate the old key a little later and delete it a few days after.
 */
final class KeyRotations implements Activity {

    /**
     * One rotation.
     *
     * @param developer whose key
     * @param day       day of the new key
     */
    record Rotation(Developer developer, int day) {
    }

    private final Draw draw;
    private final List<Rotation> rotations = new ArrayList<>();
    /**
     * A deactivated key waiting to be deleted.
     *
     * @param developer whose key
     * @param key       the old key
     * @param day       day it will be deleted
     */
    private record Retired(Developer developer, String key, int day) {
    }

    private final List<Retired> retired = new ArrayList<>();

    KeyRotations(List<Developer> developers, long seed) {
        this.draw = new Draw(seed, "key-rotations");
        for (int i = 0; i < 5; i++) {
            rotations.add(new Rotation(developers.get(2 + i * 6), 3 + i * 5));
        }
    }

    List<Rotation> rotations() {
        return List.copyOf(rotations);
    }

    @Override
    public void day(Day day) {
        for (Rotation r : rotations) {
            if (r.day() == day.index()) {
                rotate(day, r.developer(), day.at(12 * 60 + 40 + draw.nextInt(15)));
            }
        }
        for (Retired r : List.copyOf(retired)) {
            if (r.day() == day.index()) {
                day.add(call(r.developer(), day.at(14 * 60 + draw.nextInt(120)), "DeleteAccessKey", r.key(), null), draw);
                retired.remove(r);
            }
        }
    }

    private void rotate(Day day, Developer dev, Instant t) {
        String old = dev.key();
        String key = draw.key("AKIA");
        day.add(call(dev, t, "CreateAccessKey", null, null).response(Json.of("accessKey", Json.of("userName", dev.name,
            "accessKeyId", key, "status", "Active", "createDate", Sts.humanTime(t)))), draw);
        dev.useKey(key);
        day.add(call(dev, t.plusSeconds(3600 + draw.nextInt(3600)), "UpdateAccessKey", old, "Inactive"), draw);
        retired.add(new Retired(dev, old, day.index() + 3));
    }

    private Call call(Developer dev, Instant t, String name, String keyId, String status) {
        String ip = Addresses.office(dev.officePrefix, draw);
        Call call = new Call(dev.withKey(), t, "iam.amazonaws.com", name).from(ip, Agents.cli(dev.os, "iam." + command(name)));
        if (keyId == null) {
            return call.request(Json.of("userName", dev.name));
        }
        return call.request(status == null ? Json.of("userName", dev.name, "accessKeyId", keyId)
            : Json.of("userName", dev.name, "accessKeyId", keyId, "status", status));
    }

    private static String command(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
