package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * Three developers move to the platform team: from their move day on, after weeks of history, they assume the
 * PlatformEngineer role with MFA from the CLI, from their usual networks and laptop. For two of them the role is in
 * shared-services, an account they never called before; for the third it is in their own dev account.
 */
final class TeamChanges implements Activity {

    static final String ROLE = "PlatformEngineer";

    /**
     * A developer's move.
     *
     * @param developer who moves
     * @param day       first day in the new team
     * @param account   account of the platform role they assume
     */
    record Move(Developer developer, int day, String account) {
    }

    private final Draw draw;
    private final List<Move> moves;

    TeamChanges(List<Developer> developers, long seed) {
        this.draw = new Draw(seed, "team-changes");
        this.moves = List.of(new Move(developers.get(5), 15, Org.SHARED), new Move(developers.get(12), 18, Org.SHARED),
            new Move(developers.get(20), 21, Org.DEV));
    }

    List<Move> moves() {
        return moves;
    }

    @Override
    public void day(Day day) {
        for (Move move : moves) {
            if (day.index() >= move.day() && (day.workday() && draw.chance(0.85) || day.index() == move.day())) {
                work(day, move);
            }
        }
    }

    private void work(Day day, Move move) {
        Developer dev = move.developer();
        String ip = draw.chance(0.6) ? Addresses.office(dev.officePrefix, draw) : dev.home(day.index());
        Instant t = day.at(day.workMinute(draw));
        Op sts = Op.READS.get(0);
        Who session = Sts.session(draw, move.account(), ROLE, dev.name, t).withMfa();
        Sts.assumeRole(day, draw, dev.withKey(), t, ip, Agents.cli(dev.os, "sts.assume-role"), session, dev.mfaSerial());
        day.add(new Call(session, t.plusSeconds(2), sts.source(), sts.name()).from(ip, Agents.cli(dev.os, sts.command())), draw);
        for (int i = draw.between(6, 20); i > 0; i--) {
            t = t.plusSeconds(draw.between(3, 120));
            Op op = draw.chance(0.15) ? draw.pick(Op.WRITES) : draw.pick(Op.READS);
            day.add(new Call(session, t, op.source(), op.name()).from(ip, Agents.cli(dev.os, op.command()))
                .request(op.request().apply(draw, Org.MAIN_REGION)), draw);
        }
    }
}
