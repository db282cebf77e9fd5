package io.trailhound.demo.month;

/** The AccessDenied errors each AWS protocol writes into CloudTrail (code and message differ by service). */
final class Errors {

    private Errors() {
    }

    /** Marks {@code call} as denied for {@code caller} calling {@code op} in {@code account}. */
    static Call denied(Call call, Who caller, Op op, String account) {
        String action = ("monitoring".equals(op.api()) ? "cloudwatch" : op.api()) + ":" + op.name().replaceAll("20\\d{6}(v\\d)?$", "");
        String because = " because no identity-based policy allows the " + action + " action";
        return switch (op.api()) {
            case "ec2" -> call.error("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: "
                + caller.arn() + " is not authorized to perform: " + action + because);
            case "s3" -> call.error("AccessDenied", "Access Denied");
            case "iam", "sts", "cloudformation", "monitoring" -> call.error("AccessDenied", "User: " + caller.arn()
                + " is not authorized to perform: " + action + " on resource: arn:aws:" + op.api() + "::" + account + ":*" + because);
            default -> call.error("AccessDeniedException", "User: " + caller.arn() + " is not authorized to perform: " + action
                + " on resource: arn:aws:" + op.api() + ":" + Org.MAIN_REGION + ":" + account + ":*" + because);
        };
    }
}
