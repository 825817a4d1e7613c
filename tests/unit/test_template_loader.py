"""The template is YAML that Chalice, CloudFormation and the local stack read alike (infra/template.py)."""

from __future__ import annotations

import yaml

from infra.template import TEMPLATE, load_template


def test_short_form_tags_read_as_their_long_form(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Queue:\n"
        "    Type: AWS::SQS::Queue\n"
        "    Condition: HasQueue\n"
        "    Properties:\n"
        "      QueueName: !Sub '${AWS::StackName}-uploads'\n"
        "      RedrivePolicy: {deadLetterTargetArn: !GetAtt DeadLetters.Arn, maxReceiveCount: 5}\n"
        "      Tags: [{Key: name, Value: !If [HasQueue, !Ref Name, !Join ['-', [a, !Ref AWS::Region]]]}]\n"
        "Conditions:\n"
        "  HasQueue: !Not [!Equals [!Ref Name, '']]\n"
    )
    template = load_template(path)
    queue = template["Resources"]["Queue"]["Properties"]
    assert queue["QueueName"] == {"Fn::Sub": "${AWS::StackName}-uploads"}
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["DeadLetters", "Arn"]}
    assert queue["Tags"][0]["Value"] == {
        "Fn::If": ["HasQueue", {"Ref": "Name"}, {"Fn::Join": ["-", ["a", {"Ref": "AWS::Region"}]]}]
    }
    assert template["Conditions"]["HasQueue"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "Name"}, ""]}]}


def test_the_template_has_no_anchors_aliases_or_merge_keys():
    # Chalice writes the merged template back out as YAML, and CloudFormation reads none of these.
    tokens = list(yaml.scan(TEMPLATE.read_text()))
    assert not [t for t in tokens if isinstance(t, (yaml.AnchorToken, yaml.AliasToken))]
    assert "<<" not in {t.value for t in tokens if isinstance(t, yaml.ScalarToken)}


def test_every_value_is_what_cloudformation_expects_not_what_yaml_guesses():
    # Unquoted, 2012-10-17 is a date and yes/no/on/off are booleans: policies need the strings.
    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str), key
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        else:
            yield value

    assert all(isinstance(v, (str, int, float, bool)) for v in walk(load_template()))
    resources = load_template()["Resources"]
    versions = {
        r["Properties"]["PolicyDocument"]["Version"] for r in resources.values() if "PolicyDocument" in r["Properties"]
    }
    assert versions == {"2012-10-17"}
