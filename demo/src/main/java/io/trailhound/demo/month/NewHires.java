package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * Onboarding of the two new hires: on their first day an administrator (Identity Center, AdministratorAccess in dev)
 * creates their IAM user with a console password and adds them to the developers group; they sign in for the first time
 * (no MFA yet), change their password, enrol a virtual MFA device and create their first access key.
 */
final class NewHires implements Activity {

    private final Draw draw;
    private final List<Developer> hires;

    NewHires(List<Developer> developers, long seed) {
        this.draw = new Draw(seed, "new-hires");
        this.hires = developers.stream().filter(d -> d.startDay > 0).toList();
    }

    @Override
    public void day(Day day) {
        for (Developer hire : hires) {
            if (day.index() == hire.startDay) {
                onboard(day, hire, day.at(13 * 60 + 10 + draw.nextInt(20)));
            }
        }
    }

    private void onboard(Day day, Developer hire, Instant t) {
        String adminIp = Addresses.office(Addresses.OFFICES.get(0), draw);
        Who admin = Sts.session(draw, Org.DEV, SsoUsers.role(Org.DEV, "AdministratorAccess"), "olivia.hart@" + Org.EMAIL_DOMAIN,
            t.minusSeconds(600));
        day.add(iam(admin, t, adminIp, Agents.CHROME_MAC, "CreateUser").request(Json.of("userName", hire.name))
            .response(Json.of("user", Json.of("path", "/", "userName", hire.name, "userId", hire.userId,
                "arn", Org.userArn(Org.DEV, hire.name), "createDate", Sts.humanTime(t)))).console(), draw);
        day.add(iam(admin, t.plusSeconds(20), adminIp, Agents.CHROME_MAC, "CreateLoginProfile")
            .request(Json.of("userName", hire.name, "passwordResetRequired", true))
            .response(Json.of("loginProfile", Json.of("userName", hire.name, "passwordResetRequired", true))).console(), draw);
        day.add(iam(admin, t.plusSeconds(30), adminIp, Agents.CHROME_MAC, "AddUserToGroup")
            .request(Json.of("groupName", "developers", "userName", hire.name)).console(), draw);
        String ip = Addresses.office(hire.officePrefix, draw);
        Instant login = t.plusSeconds(900 + draw.nextInt(600));
        day.add(SignIns.userLogin(hire.signingIn(), login, ip, Agents.CHROME_MAC, true, null)
            .additional(Json.of("LoginTo", "https://console.aws.amazon.com/console/home", "MobileVersion", "No", "MFAUsed", "No")),
            draw);
        Who console = Who.user(Org.DEV, hire.name, hire.userId, draw.key("ASIA")).session(draw.key("ASIA"), login);
        day.add(iam(console, login.plusSeconds(30), ip, Agents.CHROME_MAC, "ChangePassword").console(), draw);
        String serial = hire.mfaSerial();
        day.add(iam(console, login.plusSeconds(120), ip, Agents.CHROME_MAC, "CreateVirtualMFADevice")
            .request(Json.of("virtualMFADeviceName", hire.name)).response(Json.of("virtualMFADevice",
                Json.of("serialNumber", serial))).console(), draw);
        day.add(iam(console, login.plusSeconds(160), ip, Agents.CHROME_MAC, "EnableMFADevice")
            .request(Json.of("userName", hire.name, "serialNumber", serial)).console(), draw);
        String key = draw.key("AKIA");
        day.add(iam(console, login.plusSeconds(400), ip, Agents.CHROME_MAC, "CreateAccessKey")
            .request(Json.of("userName", hire.name)).response(Json.of("accessKey", Json.of("userName", hire.name,
                "accessKeyId", key, "status", "Active", "createDate", Sts.humanTime(login.plusSeconds(400))))).console(), draw);
        hire.useKey(key);
    }

    static Call iam(Who who, Instant t, String ip, String agent, String name) {
        return new Call(who, t, "iam.amazonaws.com", name).from(ip, agent);
    }
}
