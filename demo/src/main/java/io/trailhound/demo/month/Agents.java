package io.trailhound.demo.month;

/** User agents as AWS's clients send them (versions of autumn 2026's releases are made up but shaped like the real ones). */
final class Agents {

    static final String CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/129.0.0.0 Safari/537.36";
    static final String FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0";
    static final String SSM_AGENT = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.987.0";
    static final String CW_AGENT = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) CWAgent/1.300047.0";
    static final String GITHUB_CREDENTIALS = "aws-sdk-js/3.654.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 "
        + "api/sts#3.654.0 configure-aws-credentials-for-github-actions";
    static final String SCANNER = "Boto3/1.35.24 md/Botocore#1.35.24 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 md/arch#x86_64 "
        + "lang/python#3.11.10 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#adaptive Botocore/1.35.24";
    static final String SIGNIN = "AWS Signin, aws-internal/3 aws-sdk-java/1.12.772 Linux/5.10.226-192.879.amzn2int.x86_64 "
        + "OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard";

    private Agents() {
    }

    /** The AWS CLI v2 on a laptop, naming the command as CLI 2.x does. */
    static String cli(String os, String command) {
        return "aws-cli/2.18.4 md/awscrt#0.21.5 ua/2.0 os/" + os + " md/arch#" + (os.startsWith("macos") ? "arm64" : "x86_64")
            + " lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#" + command;
    }

    static String boto3(String os) {
        return "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/" + os + " md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython "
            + "cfg/retry-mode#legacy Botocore/1.35.36";
    }

    /** Terraform's AWS provider (aws-sdk-go-v2), naming the API it calls. */
    static String terraform(String api) {
        return "APN/1.0 HashiCorp/1.0 Terraform/1.9.7 (+https://www.terraform.io) terraform-provider-aws/5.70.0 "
            + "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.0 ua/2.1 os/linux lang/go#1.23.1 "
            + "md/GOOS#linux md/GOARCH#amd64 api/" + api + "#1.36.0";
    }

    static String goSdk(String api) {
        return "aws-sdk-go-v2/1.32.0 ua/2.1 os/macos lang/go#1.23.1 md/GOOS#darwin md/GOARCH#arm64 api/" + api + "#1.36.0";
    }

    /** A Lambda function's SDK, with the execution environment it reports. */
    static String lambda(String runtime, String api) {
        return runtime.startsWith("python")
            ? "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.226-235.879.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 "
                + "md/pyimpl#CPython exec-env/AWS_Lambda_" + runtime + " cfg/retry-mode#legacy Botocore/1.34.145"
            : "aws-sdk-js/3.632.0 ua/2.1 os/linux#5.10.226-235.879.amzn2.x86_64 lang/js md/nodejs#20.17.0 exec-env/AWS_Lambda_"
                + runtime + " api/" + api + "#3.632.0";
    }

    /** The Java SDK of the web application on the instances. */
    static String webApp(String api) {
        return "aws-sdk-java/2.28.16 Linux/6.1.109-118.189.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 "
            + "vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard ua/2.1 api/"
            + api + "#2.28.x";
    }
}
