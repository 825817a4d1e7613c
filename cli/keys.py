"""API keys: made here, shown once, stored only as a hash; revoked here.

python -m cli keys create --role editor --label "Anna (editor)"
python -m cli keys create --role field_office --office az-baku --countries AZ,GE --label "Baku office"
python -m cli keys revoke KEY_OR_HASH
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from chalicelib.domain.metadata import parse_country
from chalicelib.services.access import EDITOR, FIELD_OFFICE, create_key, hash_key, revoke_key
from cli.target import Target


def run(args: argparse.Namespace, target: Target) -> None:
    catalog = target.dependencies().catalog
    if args.keys_command == "create":
        countries = frozenset(parse_country(code.strip()) for code in (args.countries or "").split(",") if code.strip())
        if args.role == FIELD_OFFICE and not (args.office and countries):
            raise SystemExit("a field-office key needs --office and --countries")
        key = create_key(catalog, args.role, office_id=args.office, countries=countries, label=args.label)
        result: dict[str, Any] = {
            "api_key": key,
            "hash": hash_key(key),
            "role": args.role,
            "label": args.label,
            "note": "the key is shown only now; keep the hash to revoke it",
        }
    else:
        result = {"revoked": revoke_key(catalog, args.key)}
    print(json.dumps(result, indent=2))


def add_parser(commands: Any) -> None:
    keys = commands.add_parser(
        "keys",
        help="create and revoke API keys",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = keys.add_subparsers(dest="keys_command", required=True)
    create = verbs.add_parser("create", help="make a key and print it once")
    create.add_argument("--role", choices=(EDITOR, FIELD_OFFICE), required=True)
    create.add_argument("--label", required=True, help="who holds it, as the audit trail will name them")
    create.add_argument("--office", help="the field office's id (field_office keys)")
    create.add_argument("--countries", help="comma-separated ISO codes the office uploads for")
    verbs.add_parser("revoke", help="revoke a key at once").add_argument("key", help="the key, or its hash")
