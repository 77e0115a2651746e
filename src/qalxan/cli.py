"""The `qalxan` command: serve, worker, demo, createadmin, the domain modules' commands and Django
management pass-through."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qalxan.settings")
    import django

    django.setup()


def _manage(*args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_manage(args: argparse.Namespace, rest: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qalxan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qalxan manage", *rest])
    return 0


def cmd_serve(args: argparse.Namespace, rest: list[str]) -> int:
    """Web server and background-job consumer in one process group; Ctrl-C stops both."""
    _setup()
    from django.conf import settings

    if not args.no_migrate:
        _manage("migrate", "--no-input", verbosity=0)
    if settings.PROFILE == "production":
        _manage("collectstatic", "--no-input", verbosity=0)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="qalxan.settings")
    web = subprocess.Popen(  # noqa: S603  (fixed argument list, no shell)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "qalxan.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
        env=env,
    )
    children = [web]
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "qalxan.cli", "worker"], env=env))
    print(
        f"Qalxan is serving on http://{args.host}:{args.port}/ (data in {settings.VAR_DIR}; Ctrl-C stops)",
        flush=True,
    )

    def stop(*_: Any) -> None:
        for child in children:
            if child.poll() is None:
                # gunicorn stops gracefully on SIGTERM; the Huey consumer finishes running jobs on SIGINT.
                child.send_signal(signal.SIGTERM if child is web else signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def cmd_worker(args: argparse.Namespace, rest: list[str]) -> int:
    """Run a Huey consumer (any number may run against Redis)."""
    _setup()
    _manage("run_huey", *rest)
    return 0


def cmd_demo(args: argparse.Namespace, rest: list[str]) -> int:
    _setup()
    from qalxan.core import demo
    from qalxan.core.models import User

    _manage("migrate", "--no-input", verbosity=0)
    if args.if_empty and User.objects.exists():
        print("Demo data already present; nothing to do.")
        return 0
    print(f"Loading demo data (scale {args.scale}, seed {args.seed}) …")
    ctx = demo.load(scale=args.scale, seed=args.seed, password=args.password, out=sys.stdout)
    print(f"\nDemo logins (password: {args.password}):")
    seen = set()
    for username, what in ctx.logins:
        if username not in seen and (args.scale == "small" or not username.endswith("-ih")):
            seen.add(username)
            print(f"  {username:<18} {what}")
    return 0


def cmd_createadmin(args: argparse.Namespace, rest: list[str]) -> int:
    """Create an authority administrator (a superuser with the admin role at the authority)."""
    _setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from qalxan.core.models import User
    from qalxan.core.roles import Role
    from qalxan.organizations.models import Membership, Organization

    username = args.username or input("User name: ").strip()
    if User.objects.filter(username=username).exists():
        print(f"User {username} exists already.", file=sys.stderr)
        return 1
    password = args.password or getpass.getpass("Password: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        print("\n".join(exc.messages), file=sys.stderr)
        return 1
    user = User.objects.create_superuser(username, args.email or "", password)
    authority = Organization.objects.filter(kind="authority").order_by("pk").first()
    if authority is not None:
        Membership.objects.get_or_create(user=user, organization=authority, role=Role.ADMIN)
    print(f"Administrator {username} created.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qalxan", description="Qalxan information security platform")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web server and a background-job consumer")
    serve.add_argument("--host", default=os.environ.get("QALXAN_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("QALXAN_PORT", "8000")))
    # One request at a time per process (gunicorn's sync worker), two processes per core: on the 2-core
    # reference machine this served more requests, with a shorter tail, than threads sharing a process
    # (docs/performance.md, "Server layout").
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("QALXAN_WEB_WORKERS", str(2 * (os.cpu_count() or 1)))),
        help="web server processes (default: twice the cores)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("QALXAN_WEB_THREADS", "1")),
        help="threads per web worker (more than one: gunicorn's threaded worker)",
    )
    serve.add_argument("--no-worker", action="store_true", help="do not start a background-job consumer")
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations at start")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="run a background-job consumer", add_help=False).set_defaults(
        func=cmd_worker
    )
    demo = sub.add_parser("demo", help="load the demo data set (idempotent)")
    demo.add_argument("--scale", choices=["small", "national"], default="small")
    demo.add_argument("--password", default=None, help="password of every demo user")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when users exist already")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("manage", help="Django management commands", add_help=False).set_defaults(func=cmd_manage)
    admin = sub.add_parser("createadmin", help="create an authority administrator")
    admin.add_argument("--username")
    admin.add_argument("--email")
    admin.add_argument("--password", help="(prompted when omitted)")
    admin.set_defaults(func=cmd_createadmin)
    return parser


def parser_commands(parser: argparse.ArgumentParser) -> set[str]:
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def _module_command(name: str) -> bool:
    """Whether `name` is a management command that one of Qalxan's domain modules provides."""
    _setup()
    from django.core.management import get_commands

    app = get_commands().get(name)
    return isinstance(app, str) and app.startswith("qalxan.") and app != "qalxan.core"


def _run_module_command(argv: list[str]) -> int:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["qalxan", *argv])
    except SystemExit as exc:  # management commands exit through CommandError → SystemExit
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `manage` and `worker` pass everything after them through untouched.
    if argv and argv[0] in {"manage", "worker"}:
        args = parser.parse_args(argv[:1])
        return int(args.func(args, argv[1:]) or 0)
    # A domain module's own command (`qalxan sweep …`, `qalxan exposure scan …`) is a management
    # command of that module's app, run with everything after it.
    if argv and argv[0] not in parser_commands(parser) and not argv[0].startswith("-"):
        module_command = _module_command(argv[0])
        if module_command:
            return _run_module_command(argv)
    args = parser.parse_args(argv)
    if getattr(args, "password", "") is None and args.command == "demo":
        from qalxan.core.demo import DEFAULT_PASSWORD

        args.password = DEFAULT_PASSWORD
    return int(args.func(args, []) or 0)


if __name__ == "__main__":
    sys.exit(main())
