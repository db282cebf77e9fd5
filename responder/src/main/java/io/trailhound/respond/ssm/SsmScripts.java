package io.trailhound.respond.ssm;

import io.trailhound.respond.aws.InstanceEvidenceExecutor;
import io.trailhound.respond.runbook.Ec2Compromise;

/**
 * The Python handlers of the {@code aws:executeScript} steps: each makes the same AWS calls as the responder's executor of
 * that action, reading the state first and changing only what is not yet as wanted, and returns {@code {"changed": [...]}}
 * (what it changed; empty when nothing needed changing), which the document records as the step's output.
 */
final class SsmScripts {

    /** Python runtime of every script step. */
    static final String RUNTIME = "python3.11";
    /** Handler function of every script step. */
    static final String HANDLER = "handler";

    private static final String PRELUDE = """
        import base64
        import datetime
        import json
        import urllib.parse
        import urllib.request

        import boto3
        import botocore

        INCIDENT_TAG = '@INCIDENT_TAG@'
        INSTANCE_TAG = '@INSTANCE_TAG@'


        def error_code(error):
            return error.response.get('Error', {}).get('Code', '')


        def instance_of(ec2, instance_id):
            return ec2.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]

        """;

    static final String UPDATE_ACCESS_KEYS = """
        def handler(events, context):
            iam = boto3.client('iam')
            user = events['UserName']
            named = set(filter(None, events.get('AccessKeyIds', '').split(',')))
            changed = []
            for key in iam.list_access_keys(UserName=user)['AccessKeyMetadata']:
                if key['Status'] == 'Active' and (events.get('Scope') != 'compromised' or key['AccessKeyId'] in named):
                    iam.update_access_key(UserName=user, AccessKeyId=key['AccessKeyId'], Status='Inactive')
                    changed.append(key['AccessKeyId'])
            return {'changed': changed}
        """;

    static final String PUT_INLINE_DENY = """
        def handler(events, context):
            iam = boto3.client('iam')
            document = events['PolicyDocument']
            if '${TokenIssueTime}' in document:
                # tokens issued before now, rounded up to the next second, as the responder plans it
                now = datetime.datetime.now(datetime.timezone.utc)
                cutoff = now.replace(microsecond=0) + datetime.timedelta(seconds=1 if now.microsecond else 0)
                document = document.replace('${TokenIssueTime}', cutoff.strftime('%Y-%m-%dT%H:%M:%SZ'))
            user = events.get('UserName')
            name = events['PolicyName']
            try:
                if user:
                    current = iam.get_user_policy(UserName=user, PolicyName=name)['PolicyDocument']
                else:
                    current = iam.get_role_policy(RoleName=events['RoleName'], PolicyName=name)['PolicyDocument']
            except iam.exceptions.NoSuchEntityException:
                current = None
            if current == json.loads(document):
                return {'changed': []}
            if user:
                iam.put_user_policy(UserName=user, PolicyName=name, PolicyDocument=document)
            else:
                iam.put_role_policy(RoleName=events['RoleName'], PolicyName=name, PolicyDocument=document)
            return {'changed': [name]}
        """;

    static final String DELETE_LOGIN_PROFILE = """
        def handler(events, context):
            iam = boto3.client('iam')
            try:
                iam.delete_login_profile(UserName=events['UserName'])
            except iam.exceptions.NoSuchEntityException:
                return {'changed': []}
            return {'changed': [events['UserName']]}
        """;

    private static final String DEACTIVATE = """
        def deactivate(items, key, update):
            changed = []
            for item in items:
                if item['Status'] == 'Active':
                    update(item[key])
                    changed.append(item[key])
            return {'changed': changed}

        """;

    static final String UPDATE_SSH_PUBLIC_KEYS = DEACTIVATE + """
        def handler(events, context):
            iam = boto3.client('iam')
            user = events['UserName']
            return deactivate(iam.list_ssh_public_keys(UserName=user)['SSHPublicKeys'], 'SSHPublicKeyId',
                              lambda key: iam.update_ssh_public_key(UserName=user, SSHPublicKeyId=key, Status='Inactive'))
        """;

    static final String UPDATE_SERVICE_SPECIFIC_CREDENTIALS = DEACTIVATE + """
        def handler(events, context):
            iam = boto3.client('iam')
            user = events['UserName']
            return deactivate(iam.list_service_specific_credentials(UserName=user)['ServiceSpecificCredentials'],
                              'ServiceSpecificCredentialId',
                              lambda key: iam.update_service_specific_credential(UserName=user, ServiceSpecificCredentialId=key,
                                                                                 Status='Inactive'))
        """;

    static final String UPDATE_SIGNING_CERTIFICATES = DEACTIVATE + """
        def handler(events, context):
            iam = boto3.client('iam')
            user = events['UserName']
            return deactivate(iam.list_signing_certificates(UserName=user)['Certificates'], 'CertificateId',
                              lambda key: iam.update_signing_certificate(UserName=user, CertificateId=key, Status='Inactive'))
        """;

    private static final String EVIDENCE = """
        def evidence_location(events):
            return events['EvidenceObject'][len('s3://'):].split('/', 1)


        def already_captured(events):
            bucket, key = evidence_location(events)
            try:
                boto3.client('s3').head_object(Bucket=bucket, Key=key)
                return True
            except botocore.exceptions.ClientError as error:
                if error_code(error) in ('404', 'NoSuchKey', 'NotFound'):
                    return False
                raise


        def store(events, body):
            bucket, key = evidence_location(events)
            put = {'Bucket': bucket, 'Key': key, 'Body': body,
                   'Tagging': urllib.parse.urlencode({INCIDENT_TAG: events['IncidentId']})}
            days = int(events.get('RetentionDays', '0'))
            if days > 0:
                put['ObjectLockMode'] = events['ObjectLockMode']
                put['ObjectLockRetainUntilDate'] = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
            boto3.client('s3').put_object(**put)
            return {'changed': [events['EvidenceObject']]}

        """;

    static final String CAPTURE_INSTANCE_METADATA = EVIDENCE + """
        def handler(events, context):
            if already_captured(events):
                return {'changed': []}
            ec2 = boto3.client('ec2')
            described = ec2.describe_instances(InstanceIds=[events['InstanceId']])['Reservations']
            return store(events, json.dumps(described, default=str).encode())
        """;

    static final String CAPTURE_USER_DATA = EVIDENCE + """
        def handler(events, context):
            if already_captured(events):
                return {'changed': []}
            ec2 = boto3.client('ec2')
            attribute = ec2.describe_instance_attribute(InstanceId=events['InstanceId'], Attribute='userData')
            return store(events, base64.b64decode(attribute.get('UserData', {}).get('Value', '')))
        """;

    static final String CAPTURE_INSTANCE_PROFILE = EVIDENCE + """
        def handler(events, context):
            if already_captured(events):
                return {'changed': []}
            ec2 = boto3.client('ec2')
            associations = ec2.describe_iam_instance_profile_associations(
                Filters=[{'Name': 'instance-id', 'Values': [events['InstanceId']]}])['IamInstanceProfileAssociations']
            return store(events, json.dumps(associations, default=str).encode())
        """;

    static final String CAPTURE_CONSOLE_OUTPUT = EVIDENCE + """
        def handler(events, context):
            if already_captured(events):
                return {'changed': []}
            output = boto3.client('ec2').get_console_output(InstanceId=events['InstanceId'], Latest=True)
            return store(events, base64.b64decode(output.get('Output', '')))
        """;

    static final String CAPTURE_CONSOLE_SCREENSHOT = EVIDENCE + """
        def handler(events, context):
            if already_captured(events):
                return {'changed': []}
            screenshot = boto3.client('ec2').get_console_screenshot(InstanceId=events['InstanceId'])
            return store(events, base64.b64decode(screenshot.get('ImageData', '')))
        """;

    private static final String INCIDENT_SNAPSHOTS = """
        def incident_snapshots(ec2, events):
            filters = [{'Name': 'tag:' + INCIDENT_TAG, 'Values': [events['IncidentId']]},
                       {'Name': 'tag:' + INSTANCE_TAG, 'Values': [events['InstanceId']]}]
            return ec2.describe_snapshots(OwnerIds=['self'], Filters=filters)['Snapshots']

        """;

    static final String SNAPSHOT_VOLUMES = INCIDENT_SNAPSHOTS + """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            if incident_snapshots(ec2, events):
                return {'changed': []}
            instance = events['InstanceId']
            taken = ec2.create_snapshots(
                InstanceSpecification={'InstanceId': instance, 'ExcludeBootVolume': False},
                Description='Trailhound evidence, incident ' + events['IncidentId'] + ', instance ' + instance,
                CopyTagsFromSource='volume',
                TagSpecifications=[{'ResourceType': 'snapshot', 'Tags': [{'Key': INCIDENT_TAG, 'Value': events['IncidentId']},
                                                                        {'Key': INSTANCE_TAG, 'Value': instance}]}])
            return {'changed': [snapshot['SnapshotId'] for snapshot in taken['Snapshots']]}
        """;

    static final String SHARE_SNAPSHOTS = INCIDENT_SNAPSHOTS + """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            account = events['UserId']
            changed = []
            for snapshot in incident_snapshots(ec2, events):
                permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot['SnapshotId'],
                                                              Attribute='createVolumePermission')['CreateVolumePermissions']
                if not any(permission.get('UserId') == account for permission in permissions):
                    ec2.modify_snapshot_attribute(SnapshotId=snapshot['SnapshotId'], Attribute='createVolumePermission',
                                                  OperationType='add', UserIds=[account])
                    changed.append(snapshot['SnapshotId'])
            return {'changed': changed}
        """;

    static final String CAPTURE_MEMORY = """
        def handler(events, context):
            ssm = boto3.client('ssm')
            comment = ('trailhound incident ' + events['IncidentId'])[:100]
            earlier = ssm.list_commands(InstanceId=events['InstanceId'],
                                        Filters=[{'key': 'DocumentName', 'value': events['DocumentName']}])['Commands']
            if any(command.get('Comment') == comment for command in earlier):
                return {'changed': []}
            sent = ssm.send_command(InstanceIds=[events['InstanceId']], DocumentName=events['DocumentName'], Comment=comment,
                                    OutputS3BucketName=events['OutputS3BucketName'], OutputS3KeyPrefix=events['OutputS3KeyPrefix'])
            return {'changed': [sent['Command']['CommandId']]}
        """;

    private static final String GROUP_MEMBERSHIP = """
        def membership(autoscaling, instance):
            found = autoscaling.describe_auto_scaling_instances(InstanceIds=[instance])['AutoScalingInstances']
            return next((member for member in found if member['InstanceId'] == instance), None)

        """;

    static final String PROTECT_FROM_SCALE_IN = GROUP_MEMBERSHIP + """
        def handler(events, context):
            autoscaling = boto3.client('autoscaling')
            member = membership(autoscaling, events['InstanceId'])
            if member is None or member.get('ProtectedFromScaleIn'):
                return {'changed': []}
            autoscaling.set_instance_protection(AutoScalingGroupName=member['AutoScalingGroupName'],
                                                InstanceIds=[events['InstanceId']], ProtectedFromScaleIn=True)
            return {'changed': [member['AutoScalingGroupName']]}
        """;

    static final String ENTER_STANDBY = GROUP_MEMBERSHIP + """
        def handler(events, context):
            autoscaling = boto3.client('autoscaling')
            member = membership(autoscaling, events['InstanceId'])
            if member is None or member['LifecycleState'].startswith(('Standby', 'EnteringStandby', 'Detach')):
                return {'changed': []}
            autoscaling.enter_standby(AutoScalingGroupName=member['AutoScalingGroupName'], InstanceIds=[events['InstanceId']],
                                      ShouldDecrementDesiredCapacity=False)
            return {'changed': [member['AutoScalingGroupName']]}
        """;

    static final String DETACH_FROM_GROUP = GROUP_MEMBERSHIP + """
        def handler(events, context):
            autoscaling = boto3.client('autoscaling')
            member = membership(autoscaling, events['InstanceId'])
            if member is None:
                return {'changed': []}
            autoscaling.detach_instances(AutoScalingGroupName=member['AutoScalingGroupName'], InstanceIds=[events['InstanceId']],
                                         ShouldDecrementDesiredCapacity=False)
            return {'changed': [member['AutoScalingGroupName']]}
        """;

    static final String DEREGISTER_TARGETS = """
        def handler(events, context):
            elb = boto3.client('elbv2')
            instance = events['InstanceId']
            changed = []
            for page in elb.get_paginator('describe_target_groups').paginate():
                for group in page['TargetGroups']:
                    if group.get('TargetType') != 'instance':
                        continue
                    for health in elb.describe_target_health(TargetGroupArn=group['TargetGroupArn'])['TargetHealthDescriptions']:
                        target = health['Target']
                        if target['Id'] == instance and health['TargetHealth']['State'] not in ('draining', 'unused'):
                            elb.deregister_targets(TargetGroupArn=group['TargetGroupArn'],
                                                   Targets=[{'Id': instance, 'Port': target['Port']}])
                            changed.append(group['TargetGroupArn'])
            return {'changed': changed}
        """;

    static final String KEEP_VOLUMES = """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            instance = instance_of(ec2, events['InstanceId'])
            deleted = [mapping for mapping in instance.get('BlockDeviceMappings', [])
                       if mapping.get('Ebs', {}).get('DeleteOnTermination')]
            if not deleted:
                return {'changed': []}
            ec2.modify_instance_attribute(InstanceId=events['InstanceId'], BlockDeviceMappings=[
                {'DeviceName': mapping['DeviceName'], 'Ebs': {'VolumeId': mapping['Ebs']['VolumeId'], 'DeleteOnTermination': False}}
                for mapping in deleted])
            return {'changed': [mapping['DeviceName'] for mapping in deleted]}
        """;

    static final String RECORD_ORIGINAL_GROUPS = """
        ORIGINAL_GROUPS_TAG = '@ORIGINAL_GROUPS_TAG@'


        def handler(events, context):
            ec2 = boto3.client('ec2')
            instance = instance_of(ec2, events['InstanceId'])
            if any(tag['Key'] == ORIGINAL_GROUPS_TAG for tag in instance.get('Tags', [])):
                return {'changed': []}
            groups = ';'.join(eni['NetworkInterfaceId'] + '=' + '+'.join(group['GroupId'] for group in eni['Groups'])
                              for eni in instance['NetworkInterfaces'])
            ec2.create_tags(Resources=[events['InstanceId']], Tags=[{'Key': ORIGINAL_GROUPS_TAG, 'Value': groups},
                                                                    {'Key': INCIDENT_TAG, 'Value': events['IncidentId']}])
            return {'changed': [groups]}
        """;

    static final String ISOLATE = """
        EVERYTHING = [{'IpProtocol': '-1', 'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}]


        def find_group(ec2, vpc, name):
            groups = ec2.describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': [vpc]},
                                                           {'Name': 'group-name', 'Values': [name]}])['SecurityGroups']
            return groups[0]['GroupId'] if groups else None


        def create_group(ec2, vpc, name, quarantine):
            description = 'Trailhound quarantine: no traffic' if quarantine else 'Trailhound isolation step 1: all traffic, untracked'
            group = ec2.create_security_group(GroupName=name, VpcId=vpc, Description=description)['GroupId']
            if quarantine:
                ec2.revoke_security_group_egress(GroupId=group, IpPermissions=EVERYTHING)
            else:
                ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=EVERYTHING)
            return group


        def handler(events, context):
            ec2 = boto3.client('ec2')
            instance = instance_of(ec2, events['InstanceId'])
            vpc = instance['VpcId']
            quarantine = events['GroupName'] == events['QuarantineGroupName']
            group = find_group(ec2, vpc, events['GroupName']) or create_group(ec2, vpc, events['GroupName'], quarantine)
            quarantine_group = group if quarantine else find_group(ec2, vpc, events['QuarantineGroupName'])
            moved = []
            for eni in instance['NetworkInterfaces']:
                current = [g['GroupId'] for g in eni['Groups']]
                # never step back from quarantine to allow-all
                if current == [group] or (quarantine_group and current == [quarantine_group]):
                    continue
                ec2.modify_network_interface_attribute(NetworkInterfaceId=eni['NetworkInterfaceId'], Groups=[group])
                moved.append(eni['NetworkInterfaceId'])
            return {'changed': moved}
        """;

    private static final String ASSOCIATIONS = """
        def associations(ec2, instance):
            filters = [{'Name': 'instance-id', 'Values': [instance]}, {'Name': 'state', 'Values': ['associated']}]
            return ec2.describe_iam_instance_profile_associations(Filters=filters)['IamInstanceProfileAssociations']

        """;

    static final String DISASSOCIATE_PROFILE = ASSOCIATIONS + """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            changed = []
            for association in associations(ec2, events['InstanceId']):
                ec2.disassociate_iam_instance_profile(AssociationId=association['AssociationId'])
                changed.append(association['IamInstanceProfile']['Arn'])
            return {'changed': changed}
        """;

    static final String REPLACE_PROFILE = ASSOCIATIONS + """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            profile = events['IamInstanceProfileArn']
            changed = []
            for association in associations(ec2, events['InstanceId']):
                if association['IamInstanceProfile']['Arn'] != profile:
                    ec2.replace_iam_instance_profile_association(AssociationId=association['AssociationId'],
                                                                 IamInstanceProfile={'Arn': profile})
                    changed.append(association['IamInstanceProfile']['Arn'])
            return {'changed': changed}
        """;

    private static final String TRUSTED = """
        def untrusted(permissions, events):
            trusted = set(filter(None, events.get('TrustedAccountIds', '').split(',')))
            return [permission for permission in permissions if permission.get('UserId') not in trusted]

        """;

    static final String UNSHARE_SNAPSHOT = TRUSTED + """
        def handler(events, context):
            if not events.get('SnapshotId'):
                return {'changed': []}
            ec2 = boto3.client('ec2')
            permissions = ec2.describe_snapshot_attribute(SnapshotId=events['SnapshotId'],
                                                          Attribute='createVolumePermission')['CreateVolumePermissions']
            shared = untrusted(permissions, events)
            if not shared:
                return {'changed': []}
            ec2.modify_snapshot_attribute(SnapshotId=events['SnapshotId'], Attribute='createVolumePermission',
                                          CreateVolumePermission={'Remove': shared})
            return {'changed': [permission.get('UserId', permission.get('Group', '')) for permission in shared]}
        """;

    static final String UNSHARE_IMAGE = TRUSTED + """
        def handler(events, context):
            if not events.get('ImageId'):
                return {'changed': []}
            ec2 = boto3.client('ec2')
            permissions = ec2.describe_image_attribute(ImageId=events['ImageId'], Attribute='launchPermission')['LaunchPermissions']
            shared = untrusted(permissions, events)
            if not shared:
                return {'changed': []}
            ec2.modify_image_attribute(ImageId=events['ImageId'], Attribute='launchPermission', LaunchPermission={'Remove': shared})
            return {'changed': [str(permission) for permission in shared]}
        """;

    static final String TERMINATE = """
        def handler(events, context):
            ec2 = boto3.client('ec2')
            state = instance_of(ec2, events['InstanceId'])['State']['Name']
            if state in ('terminated', 'shutting-down'):
                return {'changed': []}
            # the runbook turned termination protection on; an approved termination turns it off first
            ec2.modify_instance_attribute(InstanceId=events['InstanceId'], DisableApiTermination={'Value': False})
            ec2.terminate_instances(InstanceIds=[events['InstanceId']])
            return {'changed': [events['InstanceId']]}
        """;

    private static final String BUCKET_POLICY = """
        def current_policy(s3, bucket):
            try:
                return s3.get_bucket_policy(Bucket=bucket)['Policy']
            except botocore.exceptions.ClientError as error:
                if error_code(error) == 'NoSuchBucketPolicy':
                    return None
                raise

        """;

    static final String RECORD_BUCKET_POLICY = BUCKET_POLICY + """
        def handler(events, context):
            return {'changed': [], 'policy': current_policy(boto3.client('s3'), events['Bucket']) or ''}
        """;

    static final String REVERT_BUCKET_POLICY = BUCKET_POLICY + """
        def grants_outside(statement, owner, trusted):
            principal = statement.get('Principal', {})
            principals = [principal] if isinstance(principal, str) else principal.get('AWS', [])
            for who in [principals] if isinstance(principals, str) else principals:
                if who == '*' and 'Condition' not in statement:
                    return True
                account = who if who.isdigit() and len(who) == 12 else (who.split(':')[4] if who.startswith('arn:') else '')
                if account and account != owner and account not in trusted:
                    return True
            return False


        def without_foreign_statements(policy, owner, trusted):
            if policy is None:
                return None
            document = json.loads(policy)
            statements = document.get('Statement', [])
            statements = statements if isinstance(statements, list) else [statements]
            kept = [s for s in statements if not (s.get('Effect') == 'Allow' and grants_outside(s, owner, trusted))]
            if not kept:
                return None
            document['Statement'] = kept
            return json.dumps(document)


        def handler(events, context):
            s3 = boto3.client('s3')
            bucket = events['Bucket']
            current = current_policy(s3, bucket)
            trusted = set(filter(None, events.get('TrustedAccountIds', '').split(',')))
            wanted = events.get('PriorPolicy') or without_foreign_statements(current, events['AccountId'], trusted)
            if (json.loads(current) if current else None) == (json.loads(wanted) if wanted else None):
                return {'changed': []}
            if wanted is None:
                s3.delete_bucket_policy(Bucket=bucket)
            else:
                s3.put_bucket_policy(Bucket=bucket, Policy=wanted)
            return {'changed': [bucket]}
        """;

    static final String REVERT_BUCKET_ACL = """
        PUBLIC = ('http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers')


        def handler(events, context):
            s3 = boto3.client('s3')
            acl = s3.get_bucket_acl(Bucket=events['Bucket'])
            kept = [grant for grant in acl['Grants'] if grant['Grantee'].get('URI') not in PUBLIC]
            if len(kept) == len(acl['Grants']):
                return {'changed': []}
            s3.put_bucket_acl(Bucket=events['Bucket'], AccessControlPolicy={'Owner': acl['Owner'], 'Grants': kept})
            return {'changed': [events['Bucket']]}
        """;

    static final String POST_WEBHOOK = """
        def handler(events, context):
            body = json.dumps({'incidentId': events['IncidentId'], 'runbook': events['runbook'],
                               'automationExecutionId': events['AutomationExecutionId']}).encode()
            request = urllib.request.Request(events['WebhookUrl'], data=body, method='POST',
                                             headers={'Content-Type': 'application/json'})
            with urllib.request.urlopen(request, timeout=10) as response:
                return {'changed': [str(response.status)]}
        """;

    private SsmScripts() {
    }

    /** The whole script of a step: the shared prelude, then {@code handler}'s source. */
    static String script(String handler) {
        return (PRELUDE + handler)
            .replace("@INCIDENT_TAG@", Ec2Compromise.INCIDENT_TAG)
            .replace("@INSTANCE_TAG@", InstanceEvidenceExecutor.INSTANCE_TAG)
            .replace("@ORIGINAL_GROUPS_TAG@", Ec2Compromise.ORIGINAL_GROUPS_TAG);
    }
}
