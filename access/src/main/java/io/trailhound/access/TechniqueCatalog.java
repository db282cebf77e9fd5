package io.trailhound.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trailhound.access.Technique.Category;

/**
 * The techniques this module finds, each under its pathfinding reference id with that reference's required permissions
 * ({@code TechniqueCatalogTest} checks them against the reference files). Techniques that need an existing resource a GAAD
 * does not list (a Lambda function, a stack, a running instance) are not here; {@link #NOT_MODELLED} names them.
 */
public final class TechniqueCatalog {

    /** Reference techniques that need resource inventory beyond IAM, reported as unsupported. */
    public static final List<String> NOT_MODELLED = List.of("apprunner-002", "bedrock-002", "cloudformation-002",
        "cloudformation-003", "cloudformation-004", "cloudformation-005", "codebuild-002", "codebuild-003", "ec2-002", "ec2-004",
        "ec2instanceconnect-003", "glue-002", "lambda-003", "lambda-004", "lambda-005", "sagemaker-004", "sagemaker-005",
        "ssm-001", "ssm-002");

    private static final String PASS = "iam:PassRole";
    private static final String LAMBDA = "lambda.amazonaws.com";
    private static final String EC2 = "ec2.amazonaws.com";
    private static final String GLUE = "glue.amazonaws.com";
    private static final String CODEBUILD = "codebuild.amazonaws.com";
    private static final String ECS = "ecs-tasks.amazonaws.com";
    private static final String SAGEMAKER = "sagemaker.amazonaws.com";
    private static final String CLUSTER = "an ECS cluster exists in the account";
    private static final String JOB = "an existing Glue job";
    private static final String ACCESS_KEYS = "the target user has fewer than 2 access keys";

    private static final List<Technique> ALL = build();

    private TechniqueCatalog() {
    }

    /** Every technique, in the order edges prefer them. */
    public static List<Technique> all() {
        return ALL;
    }

    public static Optional<Technique> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    static List<Technique> of(Category category) {
        return ALL.stream().filter(t -> t.category() == category).toList();
    }

    private static List<Technique> build() {
        List<Technique> t = new ArrayList<>();
        t.add(plain("sts-001", Category.ASSUME_ROLE, null, "sts:AssumeRole"));
        t.add(plain("iam-012", Category.TRUST_TAKEOVER, null, "iam:UpdateAssumeRolePolicy"));
        t.add(plain("iam-001", Category.SELF_ESCALATION, null, "iam:CreatePolicyVersion"));
        t.add(plain("iam-005", Category.SELF_ESCALATION, null, "iam:PutRolePolicy"));
        t.add(plain("iam-007", Category.SELF_ESCALATION, null, "iam:PutUserPolicy"));
        t.add(plain("iam-008", Category.SELF_ESCALATION, null, "iam:AttachUserPolicy"));
        t.add(plain("iam-009", Category.SELF_ESCALATION, null, "iam:AttachRolePolicy"));
        t.add(plain("iam-010", Category.SELF_ESCALATION, null, "iam:AttachGroupPolicy"));
        t.add(plain("iam-011", Category.SELF_ESCALATION, null, "iam:PutGroupPolicy"));
        t.add(plain("iam-013", Category.SELF_ESCALATION, null, "iam:AddUserToGroup"));
        t.add(plain("iam-003", Category.CREDENTIALS, null, "iam:CreateAccessKey", "iam:DeleteAccessKey"));
        t.add(plain("iam-002", Category.CREDENTIALS, ACCESS_KEYS, "iam:CreateAccessKey"));
        t.add(plain("iam-004", Category.CREDENTIALS, "the target user has no login profile", "iam:CreateLoginProfile"));
        t.add(plain("iam-006", Category.CREDENTIALS, "the target user has a login profile", "iam:UpdateLoginProfile"));
        t.add(plain("iam-014", Category.MODIFY_THEN_ACCESS, null, "iam:AttachRolePolicy", "sts:AssumeRole"));
        t.add(plain("iam-016", Category.MODIFY_THEN_ACCESS, null, "iam:CreatePolicyVersion", "sts:AssumeRole"));
        t.add(plain("iam-017", Category.MODIFY_THEN_ACCESS, null, "iam:PutRolePolicy", "sts:AssumeRole"));
        t.add(plain("iam-019", Category.MODIFY_THEN_ACCESS, null, "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"));
        t.add(plain("iam-020", Category.MODIFY_THEN_ACCESS, null, "iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"));
        t.add(plain("iam-021", Category.MODIFY_THEN_ACCESS, null, "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"));
        t.add(plain("iam-015", Category.MODIFY_THEN_ACCESS, ACCESS_KEYS, "iam:AttachUserPolicy", "iam:CreateAccessKey"));
        t.add(plain("iam-018", Category.MODIFY_THEN_ACCESS, ACCESS_KEYS, "iam:PutUserPolicy", "iam:CreateAccessKey"));
        addPassRole(t);
        return List.copyOf(t);
    }

    private static void addPassRole(List<Technique> t) {
        t.add(pass("lambda-001", LAMBDA, null, "lambda:CreateFunction", "lambda:InvokeFunction"));
        t.add(pass("lambda-006", LAMBDA, null, "lambda:CreateFunction", "lambda:AddPermission"));
        t.add(pass("lambda-002", LAMBDA, "an event source (stream or queue) exists", "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping"));
        t.add(new Technique("ec2-001", Category.PASS_ROLE, List.of(PASS, "ec2:RunInstances"), List.of(EC2), null, true));
        t.add(new Technique("ec2-003", Category.PASS_ROLE, List.of(PASS, "ec2:RequestSpotInstances"), List.of(EC2), null, true));
        t.add(pass("cloudformation-001", "cloudformation.amazonaws.com", null, "cloudformation:CreateStack"));
        t.add(pass("glue-001", GLUE, null, "glue:CreateDevEndpoint"));
        t.add(pass("glue-003", GLUE, null, "glue:CreateJob", "glue:StartJobRun"));
        t.add(pass("glue-004", GLUE, null, "glue:CreateJob", "glue:CreateTrigger"));
        t.add(pass("glue-005", GLUE, JOB, "glue:UpdateJob", "glue:StartJobRun"));
        t.add(pass("glue-006", GLUE, JOB, "glue:UpdateJob", "glue:CreateTrigger"));
        t.add(pass("codebuild-001", CODEBUILD, null, "codebuild:CreateProject", "codebuild:StartBuild"));
        t.add(pass("codebuild-004", CODEBUILD, null, "codebuild:CreateProject", "codebuild:StartBuildBatch"));
        t.add(pass("ecs-001", ECS, null, "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService"));
        t.add(pass("ecs-002", ECS, null, "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:RunTask"));
        t.add(pass("ecs-003", ECS, CLUSTER, "ecs:RegisterTaskDefinition", "ecs:CreateService"));
        t.add(pass("ecs-004", ECS, CLUSTER, "ecs:RegisterTaskDefinition", "ecs:RunTask"));
        t.add(pass("ecs-005", ECS, "an ECS cluster with a registered container instance exists", "ecs:RegisterTaskDefinition",
            "ecs:StartTask"));
        t.add(pass("sagemaker-001", SAGEMAKER, null, "sagemaker:CreateNotebookInstance"));
        t.add(pass("sagemaker-002", SAGEMAKER, null, "sagemaker:CreateTrainingJob"));
        t.add(pass("sagemaker-003", SAGEMAKER, null, "sagemaker:CreateProcessingJob"));
        t.add(pass("apprunner-001", "tasks.apprunner.amazonaws.com", null, "apprunner:CreateService"));
        t.add(new Technique("datapipeline-001", Category.PASS_ROLE, List.of(PASS, "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"),
            List.of("datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"), null, false));
        t.add(pass("bedrock-001", "bedrock-agentcore.amazonaws.com", null, "bedrock-agentcore:CreateCodeInterpreter",
            "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"));
    }

    private static Technique plain(String id, Category category, String prerequisite, String... required) {
        return new Technique(id, category, List.of(required), List.of(), prerequisite, false);
    }

    private static Technique pass(String id, String service, String prerequisite, String... actions) {
        List<String> required = new ArrayList<>();
        required.add(PASS);
        required.addAll(List.of(actions));
        return new Technique(id, Category.PASS_ROLE, required, List.of(service), prerequisite, false);
    }
}
