"""python -m cli [--stack NAME --stage STAGE | --stack-file PATH] {ops,keys,upload,web} ..."""

from __future__ import annotations

import argparse
from pathlib import Path

from chalicelib.domain.errors import DomainError
from cli import keys, ops, upload, website
from cli.repository import default_stack_file
from cli.target import deployed_target, local_target


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m cli", description="OneMinutesJr ingest command line.")
    parser.add_argument("--stack-file", type=Path, default=default_stack_file(),
                        help="the local stack's description (default: .local/stack.json)")  # fmt: skip
    parser.add_argument("--stack", help="a deployed CloudFormation stack instead of the local stack")
    parser.add_argument("--stage", default="dev", help="the deployed stack's Chalice stage (dev or prod)")
    commands = parser.add_subparsers(dest="command", required=True)
    ops.add_parser(commands)
    keys.add_parser(commands)
    upload.add_parser(commands)
    website.add_parser(commands)
    args = parser.parse_args()
    if args.command == "upload":  # a field office's command: the API and a key, no AWS credentials
        upload.run(args)
        return
    target = deployed_target(args.stack, args.stage) if args.stack else local_target(args.stack_file)
    try:
        {"ops": ops.run, "keys": keys.run, "web": website.run}[args.command](args, target)
    except DomainError as error:
        raise SystemExit(f"{error.code}: {error.message}") from None


if __name__ == "__main__":
    main()
