package io.trailhound.demo.month;

import java.util.ArrayList;
import java.util.List;

/** The organization's people: 32 developers with IAM users, two new hires, and 12 Identity Center users. */
final class Staff {

    static final int DEVELOPERS = 32;
    /** Days the two new hires start (day indexes of the month). */
    static final int[] NEW_HIRE_DAYS = {11, 18};

    private static final List<String> NAMES = List.of("amelia.ortiz", "ben.kowalski", "chen.wei", "dara.nguyen", "eli.brooks",
        "fatima.haddad", "gus.lindqvist", "hana.sato", "ivan.petrov", "jade.morales", "kofi.mensah", "lena.fischer",
        "marco.rossi", "nina.kapoor", "omar.aziz", "priya.raman", "quinn.oconnor", "rosa.delgado", "sam.whitaker", "tara.singh",
        "umar.farooq", "vera.novak", "will.chang", "xena.pappas", "yusuf.demir", "zoe.martin", "arjun.mehta", "bella.costa",
        "caleb.young", "diego.ramirez", "emma.larsen", "felix.wagner");
    private static final List<String> HIRES = List.of("grace.okafor", "henrik.berg");
    private static final List<String> SSO = List.of("olivia.hart", "noah.kim", "maya.johnson", "liam.patel", "ava.schmidt",
        "ethan.cole", "sofia.ricci", "lucas.moreau", "isla.grant", "mateo.silva", "chloe.dubois", "ryan.walsh");
    private static final List<String> OS = List.of("macos#24.0.0", "macos#23.6.0", "linux#6.8.0-45-generic", "windows#10");
    private static final List<List<String>> TOOLS = List.of(List.of("cli"), List.of("cli", "boto3"), List.of("cli", "terraform"),
        List.of("cli", "go"), List.of("boto3", "terraform"), List.of("cli", "boto3", "terraform"));

    private Staff() {
    }

    /** The developers, the new hires last. */
    static List<Developer> developers(long seed) {
        Draw draw = new Draw(seed, "staff");
        List<Developer> out = new ArrayList<>();
        for (int i = 0; i < DEVELOPERS + HIRES.size(); i++) {
            boolean hire = i >= DEVELOPERS;
            String name = hire ? HIRES.get(i - DEVELOPERS) : NAMES.get(i);
            List<String> homes = new ArrayList<>(List.of(Addresses.home(draw)));
            // a third of the people get a new address from their ISP mid-month
            if (draw.chance(0.33)) {
                homes.add(Addresses.home(draw));
            }
            Developer.Places places = new Developer.Places(draw.pick(Addresses.OFFICES), homes, draw.between(8, 22));
            out.add(new Developer(name, draw.key("AIDA"), draw.pick(OS), places, hire ? NEW_HIRE_DAYS[i - DEVELOPERS] : 0,
                draw.pick(TOOLS), hire ? null : draw.key("AKIA")));
        }
        return out;
    }

    static List<String> ssoUsers() {
        return SSO;
    }
}
