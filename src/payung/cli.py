"""The `payung` command: Django's management commands plus Payung's own (nik, import, demo-data, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["payung", *sys.argv[1:]])


if __name__ == "__main__":
    main()
