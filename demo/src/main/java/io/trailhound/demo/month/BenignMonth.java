package io.trailhound.demo.month;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A benign month of a five-account AWS organization as its organization trail records it (issue 13's noise benchmark):
 * developers with access keys, Identity Center users, an Auto Scaling web tier with public addresses, Lambda functions,
 * GitHub Actions with Terraform, a daily security scan, AWS services, people changing teams, new hires, key rotations and
 * password typos. Deterministic (everything derives from the seed, nothing from the clock) and generated one day at a
 * time, so a month never has to be in memory at once.
 */
public final class BenignMonth {

    private final MonthSettings settings;

    public BenignMonth(MonthSettings settings) {
        this.settings = settings;
    }

    /** Hands each day's records, in time order, to {@code sink}; returns how many records there were. */
    public long generate(Consumer<List<MonthEvent>> sink) {
        long seed = settings.seed();
        List<Developer> developers = Staff.developers(seed);
        // onboarding and rotations change keys before the developers' day starts
        List<Activity> activities = List.of(new NewHires(developers, seed), new KeyRotations(developers, seed),
            new Developers(developers, seed), new TeamChanges(developers, seed), new SsoUsers(seed),
            new WebTier(seed, settings.start()), new Lambdas(seed), new GitHubDeploys(seed), new SecurityScanner(seed),
            new AwsServices(seed));
        long total = 0;
        for (int i = 0; i < settings.days(); i++) {
            Day day = new Day(i, settings.start().plus(Duration.ofDays(i)));
            for (Activity activity : activities) {
                activity.day(day);
            }
            List<MonthEvent> events = day.events();
            total += events.size();
            sink.accept(events);
        }
        return total;
    }
}
