package io.trailhound.demo.month;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The developers' daily work: CLI, SDK and Terraform calls from the office or home (mostly reads, writes in the dev account,
 * now and then AccessDenied or another region), console sign-ins with MFA and console role switches to production's ReadOnly
 * role. Six sign-ins of the month start with a mistyped password.
 */
final class Developers implements Activity {

    static final int PASSWORD_TYPOS = 6;

    private final List<Developer> developers;
    private final Draw draw;
    /** Developer name to the day index of their password typo. */
    private final Map<String, Integer> typos = new HashMap<>();

    Developers(List<Developer> developers, long seed) {
        this.developers = developers;
        this.draw = new Draw(seed, "developers");
        for (int i = 0; i < PASSWORD_TYPOS; i++) {
            typos.put(developers.get(3 + i * 4).name, 2 + i * 4 + draw.nextInt(3));
        }
    }

    @Override
    public void day(Day day) {
        for (Developer dev : developers) {
            if (day.index() < dev.startDay) {
                continue;
            }
            boolean typo = typos.getOrDefault(dev.name, -1) == day.index();
            if (typo || day.workday() && draw.chance(0.9)) {
                workday(day, dev, typo);
            } else if (!day.workday() && draw.chance(0.08)) {
                burst(day, dev, dev.home(day.index()), 20 * 60 + draw.nextInt(180));
            }
        }
    }

    private void workday(Day day, Developer dev, boolean typo) {
        String ip = draw.chance(0.6) ? Addresses.office(dev.officePrefix, draw) : dev.home(day.index());
        int bursts = draw.between(2, 4);
        for (int b = 0; b < bursts; b++) {
            burst(day, dev, ip, day.workMinute(draw));
        }
        // a new hire's first sign-in is part of the onboarding
        if (typo || (dev.startDay == 0 || day.index() > dev.startDay) && draw.chance(0.45)) {
            console(day, dev, ip, day.workMinute(draw), typo);
        }
    }

    private void burst(Day day, Developer dev, String ip, double minute) {
        String tool = draw.pick(dev.tools);
        String region = draw.chance(0.06) ? draw.pick(Org.OTHER_REGIONS) : Org.MAIN_REGION;
        int calls = draw.between(5, 25);
        Instant t = day.at(minute);
        for (int i = 0; i < calls; i++) {
            t = t.plusSeconds(draw.between(1, 90));
            Op op = draw.chance(0.18) ? draw.pick(Op.WRITES) : draw.pick(Op.READS);
            Who who = dev.withKey();
            String opRegion = "iam".equals(op.api()) ? Org.MAIN_REGION : region;
            Call call = new Call(who, t, op.source(), op.name()).region(opRegion).from(ip, dev.userAgent(tool, op))
                .request(op.request().apply(draw, opRegion));
            if (draw.chance(0.025)) {
                Errors.denied(call, who, op, Org.DEV);
            }
            day.add(call, draw);
        }
    }

    private void console(Day day, Developer dev, String ip, double minute, boolean typo) {
        String browser = dev.os.startsWith("windows") ? Agents.FIREFOX_WIN : Agents.CHROME_MAC;
        Instant t = day.at(minute);
        if (typo) {
            day.add(SignIns.userLogin(dev.signingIn(), t, ip, browser, false, null), draw);
            t = t.plusSeconds(draw.between(12, 50));
        }
        day.add(SignIns.userLogin(dev.signingIn(), t, ip, browser, true, dev.mfaSerial()), draw);
        Who session = dev.console(draw.key("ASIA"), t);
        int reads = draw.between(3, 10);
        for (int i = 0; i < reads; i++) {
            t = t.plusSeconds(draw.between(5, 120));
            Op op = draw.pick(Op.READS);
            day.add(new Call(session, t, op.source(), op.name()).from(ip, browser).console()
                .request(op.request().apply(draw, Org.MAIN_REGION)), draw);
        }
        if (draw.chance(0.12)) {
            switchToProd(day, dev, session, ip, browser, t.plusSeconds(30));
        }
    }

    /** A console switch to production's ReadOnly role, which the developers' group may assume with MFA. */
    private void switchToProd(Day day, Developer dev, Who session, String ip, String browser, Instant t) {
        Who prod = Sts.session(draw, Org.PROD, "ReadOnly", dev.name, t).withMfa();
        Sts.assumeRole(day, draw, session, t, ip, Agents.SIGNIN, prod, null);
        day.add(SignIns.switchRole(prod, t.plusSeconds(1), ip, browser, Org.userArn(Org.DEV, dev.name)), draw);
        Instant at = t.plusSeconds(5);
        for (int i = 0; i < draw.between(3, 8); i++) {
            at = at.plusSeconds(draw.between(5, 90));
            Op op = draw.pick(Op.READS);
            day.add(new Call(prod, at, op.source(), op.name()).from(ip, browser).console()
                .request(op.request().apply(draw, Org.MAIN_REGION)), draw);
        }
    }
}
