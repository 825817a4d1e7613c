"""omjr (or python -m cli) [--stack NAME --stage STAGE | --stack-file PATH] {upload,ops,keys,web} ...

`upload` is a field office's command: it needs only the API's address and a key. The operator commands
(`ops`, `keys`, `web`) act on a stack's AWS resources with the functions' own code: installed, they need
the `operator` extra (`pip install '.[operator]'`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from cli import upload
from cli.repository import default_stack_file

OPERATOR_COMMANDS = {
    "ops": "operate the pipeline",
    "keys": "create and revoke API keys",
    "web": "publish the website's pages",
}
OPERATOR_EXTRA_HINT = "pip install 'oneminutesjr-ingest[operator]' (or, in a checkout, make run installs them)"


def operator_modules() -> dict[str, ModuleType] | ModuleNotFoundError:
    """The operator commands' modules, or what is missing to load them (boto3 and the functions' libraries)."""
    try:
        from cli import keys, ops, website
    except ModuleNotFoundError as missing:
        return missing
    return {"ops": ops, "keys": keys, "web": website}


def build_parser(modules: dict[str, ModuleType] | ModuleNotFoundError) -> argparse.ArgumentParser:
    prog = "omjr" if Path(sys.argv[0]).name == "omjr" else "python -m cli"
    parser = argparse.ArgumentParser(prog=prog, description="OneMinutesJr ingest command line.")
    parser.add_argument(
        "--stack-file",
        type=Path,
        default=default_stack_file(),
        help="the local stack's description (default: $LOCAL_STATE_DIR/stack.json, else .local/stack.json)",
    )
    parser.add_argument("--stack", help="a deployed CloudFormation stack instead of the local stack")
    parser.add_argument("--stage", default="dev", help="the deployed stack's Chalice stage (dev or prod)")
    commands = parser.add_subparsers(dest="command", required=True)
    upload.add_parser(commands)
    for name, summary in OPERATOR_COMMANDS.items():
        if isinstance(modules, dict):
            modules[name].add_parser(commands)
        else:  # the command is listed all the same, and says what to install
            commands.add_parser(name, help=f"{summary} (needs the operator extra)").add_argument(
                "rest", nargs=argparse.REMAINDER
            )
    return parser


def main(argv: list[str] | None = None) -> None:
    modules = operator_modules()
    args = build_parser(modules).parse_args(argv)
    if args.command == "upload":  # a field office's command: the API and a key, no AWS credentials
        upload.run(args)
        return
    if not isinstance(modules, dict):
        raise SystemExit(f"omjr {args.command} needs {modules.name}, which is not installed: {OPERATOR_EXTRA_HINT}")
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError

    from chalicelib.domain.errors import DomainError
    from cli.target import deployed_target, local_target

    run: Any = modules[args.command].run
    try:
        target = deployed_target(args.stack, args.stage) if args.stack else local_target(args.stack_file)
        run(args, target)
    except DomainError as error:
        raise SystemExit(f"{error.code}: {error.message}") from None
    except EndpointConnectionError as error:
        raise SystemExit(unreachable(args, str(error.kwargs.get("endpoint_url", "")))) from None
    except NoCredentialsError:
        raise SystemExit(
            f"omjr {args.command} --stack {args.stack} needs AWS credentials for the stack's account "
            "(aws configure, or AWS_PROFILE)"
        ) from None


def unreachable(args: argparse.Namespace, endpoint: str) -> str:
    """What to do when the stack's AWS does not answer: a local stack that stopped leaves its file behind."""
    if args.stack:
        return f"Could not reach {endpoint}: check the network and the region (AWS_DEFAULT_REGION)"
    return (
        f"Could not reach the local stack's AWS ({endpoint}): is `make run` still running? "
        f"{args.stack_file} is from a stack that is no longer there (one that was killed leaves it behind): "
        "start the stack again with `make run`"
    )


if __name__ == "__main__":
    main()
