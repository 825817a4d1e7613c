"""The one reader of the infrastructure template, `infra/resources.yaml`.

The template uses CloudFormation's short-form tags (`!Ref`, `!Sub`, `!GetAtt`, ...). They are read
by Chalice's own loader, the one `chalice package --merge-template` runs, so the local stack, the
tests and the packaging checks see exactly the data that is merged and deployed: `!GetAtt A.B`
becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Ref X` and `!Condition X` keep their names, and every other
`!Tag` becomes `{"Fn::Tag": ...}`. (That loader registers its tags on PyYAML's SafeLoader for the
whole process, as `chalice package` does.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chalice.package import YAMLTemplateSerializer

TEMPLATE = Path(__file__).resolve().with_name("resources.yaml")


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as data, intrinsic functions in their long form (`{"Ref": ...}`, `{"Fn::Sub": ...}`)."""
    template = YAMLTemplateSerializer().load_template(path.read_text(), filename=str(path))
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise ValueError(f"{path} is not a CloudFormation template: it has no Resources mapping")
    return template
