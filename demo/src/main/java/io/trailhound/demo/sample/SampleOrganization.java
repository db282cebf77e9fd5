package io.trailhound.demo.sample;

import java.util.List;

/**
 * The fictitious organization of the sample, "Acme Analytics": who exists, where they work from, what clients they use.
 * Only documentation and made-up addresses and ids; nothing here is a real account or key.
 */
public final class SampleOrganization {

    /** AWS Organizations id; trail files live under {@code AWSLogs/<ORG_ID>/<account>/...}. */
    public static final String ORG_ID = "o-a1b2c3d4e5";
    /** Where the IAM users live. */
    public static final String IDENTITY = "111111111111";
    /** Production workloads. */
    public static final String PROD = "222222222222";
    /** The data platform. */
    public static final String DATA = "333333333333";
    /** Every account. */
    public static final List<String> ACCOUNTS = List.of(IDENTITY, PROD, DATA);

    /** Main region. */
    public static final String US_EAST_1 = "us-east-1";
    /** Region of the data platform. */
    public static final String EU_WEST_1 = "eu-west-1";

    /** The office NAT. */
    public static final String OFFICE_NET = "203.0.113.";
    /** The self-hosted CI runner's NAT address. */
    public static final String CI_IP = "52.204.18.40";

    /** The developer whose access key leaks. */
    public static final String LEAKED_USER = "dana";
    /** The user the attacker creates for persistence. */
    public static final String BACKDOOR_USER = "svc-backup";
    /** The role the attacker pivots into: it exists in every member account and nobody uses it. */
    public static final String PIVOT_ROLE = "OrganizationAccountAccessRole";
    /** The production instance role whose credentials are stolen. */
    public static final String APP_ROLE = "app-server";
    /** The production instance the attacker reaches. */
    public static final String APP_INSTANCE = "i-0c3f5a7e9b1d24680";
    /** The other production instance. */
    public static final String APP_INSTANCE_2 = "i-0a2b4c6d8e0f13579";
    /** The attacker's address (a documentation-style address outside the organization's networks). */
    public static final String ATTACKER_IP = "185.220.101.47";
    /** The bucket the attacker makes public. */
    public static final String EXPOSED_BUCKET = "acme-prod-customer-exports";
    /** The snapshot the attacker shares publicly. */
    public static final String EXPOSED_SNAPSHOT = "snap-0f1e2d3c4b5a69788";
    /** The production account's own trail (the organization trail is out of the member account's reach). */
    public static final String PROD_TRAIL = "arn:aws:cloudtrail:us-east-1:222222222222:trail/prod-audit";

    /** The command line client the developers use. */
    public static final String AWS_CLI = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.3.0 exe/x86_64 prompt/off command/";
    /** A browser using the console. */
    public static final String CONSOLE = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/17.2 Safari/605.1.15";
    /** The CI runner's client. */
    public static final String CI_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 exec-env/CI";
    /** The application's SDK on the instances. */
    public static final String APP_SDK = "aws-sdk-java/2.25.11 Linux/5.10.209-198.858.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS "
        + "Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy";
    /** The ETL workers' SDK. */
    public static final String ETL_SDK = "Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#5.10.205 md/arch#x86_64 lang/python#3.11.6 "
        + "md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#legacy Botocore/1.34.11";
    /** The attacker's tooling. */
    public static final String ATTACKER_SDK = "Boto3/1.34.40 md/Botocore#1.34.40 ua/2.0 os/linux#6.6.9-kali md/arch#x86_64 "
        + "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.40";
    /** The attacker's command line on the stolen instance credentials. */
    public static final String ATTACKER_CLI = "aws-cli/1.32.40 Python/3.11.8 Linux/6.6.9-kali botocore/1.34.40";

    /**
     * A person with an IAM user in the identity account.
     *
     * @param name       user name
     * @param userId     AIDA... id
     * @param homeNet    the /24 they work from when not in the office (with the trailing dot)
     * @param roles      roles they assume (account, role name)
     */
    public record Person(String name, String userId, String homeNet, List<RoleRef> roles) {
    }

    /**
     * A role of the organization.
     *
     * @param account account of the role
     * @param name    role name
     * @param roleId  AROA... id
     */
    public record RoleRef(String account, String name, String roleId) {

        /** The role's ARN. */
        public String arn() {
            return Identity.roleArn(account, name);
        }
    }

    /** Read-only access to production. */
    public static final RoleRef PROD_READ_ONLY = new RoleRef(PROD, "ReadOnly", "AROAQ4EXAMPLEREADONLY");
    /** The CI's deployment role in production. */
    public static final RoleRef PROD_DEPLOY = new RoleRef(PROD, "DeployRole", "AROAQ4EXAMPLEDEPLOYRL");
    /** Production instances' role. */
    public static final RoleRef PROD_APP = new RoleRef(PROD, APP_ROLE, "AROAQ4EXAMPLEAPPSERVR");
    /** The pivot role. */
    public static final RoleRef PROD_PIVOT = new RoleRef(PROD, PIVOT_ROLE, "AROAQ4EXAMPLEORGACCES");
    /** Data engineers' role in the data account. */
    public static final RoleRef DATA_ENGINEER = new RoleRef(DATA, "DataEngineer", "AROAR5EXAMPLEDATAENGR");
    /** The ETL workers' role. */
    public static final RoleRef DATA_ETL = new RoleRef(DATA, "etl-worker", "AROAR5EXAMPLEETLWORKR");

    /** The people. */
    public static final List<Person> PEOPLE = List.of(
        new Person("alice", "AIDAEXAMPLEALICE00001", "73.162.44.", List.of(PROD_READ_ONLY)),
        new Person("bob", "AIDAEXAMPLEBOB0000002", "24.5.18.", List.of(PROD_READ_ONLY)),
        new Person("carol", "AIDAEXAMPLECAROL00003", "71.198.30.", List.of(DATA_ENGINEER)),
        new Person(LEAKED_USER, "AIDAEXAMPLEDANA000004", "98.207.61.", List.of(PROD_READ_ONLY)));

    /** The CI user. */
    public static final Person CI = new Person("ci-deployer", "AIDAEXAMPLECIDEPLOY05", CI_IP.substring(0, CI_IP.lastIndexOf('.') + 1),
        List.of(PROD_DEPLOY));

    private SampleOrganization() {
    }
}
