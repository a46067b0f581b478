"""The `payung` command: Django's management commands plus Payung's own (nik, import, demo-data, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    from django.core.management import execute_from_command_line

    from payung.deploy import Refused

    try:
        execute_from_command_line(["payung", *sys.argv[1:]])
    except Refused as refused:  # raised by settings.py: a configuration fault, not a bug to trace
        sys.exit(f"payung: {refused}")


if __name__ == "__main__":
    main()
