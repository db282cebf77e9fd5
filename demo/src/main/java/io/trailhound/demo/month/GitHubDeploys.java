package io.trailhound.demo.month;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub Actions workflows of one GitHub organization: each run exchanges its OIDC token for a deploy role
 * (AssumeRoleWithWebIdentity from token.actions.githubusercontent.com), pushes its image to ECR in shared-services and,
 * for about half the runs, applies Terraform in production from the same runner. Every job runs on a fresh GitHub-hosted
 * runner, so on a new Azure address. A new repository of the organization starts deploying mid-month.
 */
final class GitHubDeploys implements Activity {

    static final List<String> REPOSITORIES = List.of("web-app", "order-service", "platform-infra", "data-pipeline");
    static final String NEW_REPOSITORY = "billing-service";
    static final int NEW_REPOSITORY_DAY = 14;
    static final String PUSH_ROLE = "github-ecr-push";
    static final String DEPLOY_ROLE = "github-terraform-prod";

    private static final String DOCKER = "docker/27.2.0 go/go1.21.13 git-commit/3ab5c7d kernel/6.5.0-1025-azure os/linux "
        + "arch/amd64 UpstreamClient(Docker-Client/27.2.0 \\(linux\\))";

    private final Draw draw;
    private final TerraformRun terraform;

    GitHubDeploys(long seed) {
        this.draw = new Draw(seed, "github");
        this.terraform = new TerraformRun(draw);
    }

    static String provider(String account) {
        return "arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com";
    }

    @Override
    public void day(Day day) {
        List<String> repos = new ArrayList<>(REPOSITORIES);
        if (day.index() >= NEW_REPOSITORY_DAY) {
            repos.add(NEW_REPOSITORY);
        }
        int runs = day.workday() ? draw.between(6, 11) : draw.between(0, 1);
        for (int i = 0; i < runs; i++) {
            String repo = draw.pick(repos);
            Instant t = day.at(day.workMinute(draw));
            push(day, repo, t);
            boolean share = day.index() == TerraformRun.BUCKET_SHARE_DAY && i == 0;
            if (share || draw.chance(0.5)) {
                String runner = Addresses.azure(draw);
                Who session = assume(day, Org.PROD, DEPLOY_ROLE, "repo:" + Org.GITHUB_ORG + "/" + repo + ":environment:prod",
                    runner, t.plusSeconds(240));
                terraform.run(day, session, repo, runner, t.plusSeconds(245), share);
            }
        }
    }

    private void push(Day day, String repo, Instant t) {
        String ip = Addresses.azure(draw);
        Who session = assume(day, Org.SHARED, PUSH_ROLE, "repo:" + Org.GITHUB_ORG + "/" + repo + ":ref:refs/heads/main", ip, t);
        day.add(new Call(session, t.plusSeconds(3), "ecr.amazonaws.com", "GetAuthorizationToken").from(ip,
            Agents.GITHUB_CREDENTIALS.replace("api/sts", "api/ecr")).request(Json.of()), draw);
        Instant at = t.plusSeconds(90);
        day.add(ecr(session, at, ip, "BatchCheckLayerAvailability", repo), draw);
        for (int layer = 0; layer < draw.between(1, 3); layer++) {
            String upload = draw.uuid();
            day.add(ecr(session, at.plusSeconds(2), ip, "InitiateLayerUpload", repo), draw);
            day.add(ecr(session, at.plusSeconds(4), ip, "UploadLayerPart", repo).request(Json.of("repositoryName", repo,
                "uploadId", upload, "partFirstByte", 0, "partLastByte", 20_971_519)), draw);
            day.add(ecr(session, at.plusSeconds(9), ip, "CompleteLayerUpload", repo).request(Json.of("repositoryName", repo,
                "uploadId", upload, "layerDigests", Json.array("sha256:" + draw.hex(64)))), draw);
        }
        day.add(ecr(session, at.plusSeconds(12), ip, "PutImage", repo).request(Json.of("repositoryName", repo,
            "imageTag", draw.hex(7), "registryId", Org.SHARED)), draw);
    }

    private Call ecr(Who session, Instant t, String ip, String name, String repo) {
        return new Call(session, t, "ecr.amazonaws.com", name).from(ip, DOCKER)
            .request(Json.of("repositoryName", repo, "registryId", Org.SHARED));
    }

    /** The web-identity exchange: the workflow's OIDC token for a session of {@code role}, named GitHubActions. */
    private Who assume(Day day, String account, String role, String subject, String ip, Instant t) {
        String provider = provider(account);
        Who session = Sts.session(draw, account, role, "GitHubActions", t).withContext("web:" + provider);
        day.add(new Call(Who.webIdentity(provider, subject), t, "sts.amazonaws.com", "AssumeRoleWithWebIdentity")
            .from(ip, Agents.GITHUB_CREDENTIALS).recipient(account)
            .request(Json.of("roleArn", Org.roleArn(account, role), "roleSessionName", "GitHubActions", "durationSeconds", 3600))
            .response(Sts.credentials(draw, session, t).put("subjectFromWebIdentityToken", subject)
                .put("provider", provider).put("audience", "sts.amazonaws.com"))
            .additional(Json.of("identityProviderConnectionVerificationMethod", "IAMTrustStore"))
            .resource("AWS::IAM::Role", Org.roleArn(account, role), account), draw);
        return session;
    }
}
