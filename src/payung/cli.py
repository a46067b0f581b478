"""The `payung` command: Django's management commands plus Payung's own (nik, import, demo-data, ...).

It never shows a traceback (docs/decisions/0015): a configuration fault or an unprepared database is one
line (exit 1 or 2), a CommandError is Django's own "CommandError: ..." line, and anything unexpected is one
line too, with the hint that PAYUNG_DEBUG=1 (or --traceback) shows the traceback.
"""

import os
import sys
import threading

from payung import deploy


def gettext_noop(text: str) -> str:
    """Marks ``text`` for makemessages like Django's, which cannot run before the settings load."""
    return text


CANCELLED = gettext_noop("dibatalkan.")
UNEXPECTED = gettext_noop(
    "kesalahan tak terduga (%(what)s); jalankan lagi dengan PAYUNG_DEBUG=1 untuk melihat rinciannya."
)
INTERRUPTED = 130  # the shell's code for Ctrl-C


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    argv = ["payung", *sys.argv[1:]]
    threading.excepthook = _thread_failed  # runserver runs the command itself in a thread
    try:
        _run(argv)
    except KeyboardInterrupt:
        sys.exit(_say(_translated(CANCELLED), INTERRUPTED))
    except Exception as exc:
        code, line = _explain(exc)
        if code is None and _debugging(argv):
            raise
        sys.exit(_say(line, code or 1))


def _run(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    from payung import prepare

    prepare.on_first_use(argv[1] if len(argv) > 1 else "help")
    execute_from_command_line(argv)


def _explain(exc: Exception) -> tuple[int | None, str]:
    """The exit code and the one line for ``exc``; code None for a fault nobody foresaw (a bug)."""
    from payung.prepare import NotPrepared

    if isinstance(exc, deploy.Refused):  # raised by settings.py: a configuration fault, not a bug to trace
        return 1, str(exc)
    if isinstance(exc, NotPrepared):
        return 2, str(exc)
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    what = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
    return None, _translated(UNEXPECTED) % {"what": what}


def _say(line: str, code: int) -> int:
    print(f"payung: {line}", file=sys.stderr)
    return code


def _debugging(argv: list[str]) -> bool:
    """Asked for the traceback (settings.py has already refused a PAYUNG_DEBUG that is not a flag)."""
    return "--traceback" in argv or deploy.flag(os.environ, "PAYUNG_DEBUG", False)


def _translated(text: str) -> str:
    """``text`` in the active language; as written (Indonesian) when the settings themselves failed."""
    try:
        from django.utils.translation import gettext

        return gettext(text)
    except Exception:  # noqa: BLE001  the settings did not load: the source string is the Indonesian one
        return text


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """An exception that ends runserver's command thread: the same one line, then the whole process ends
    (the autoreloader would otherwise keep a server running that cannot serve)."""
    if not isinstance(args.exc_value, Exception):
        return threading.__excepthook__(args)
    code, line = _explain(args.exc_value)
    if code is None and _debugging(sys.argv):
        return threading.__excepthook__(args)
    sys.stderr.flush()
    os._exit(_say(line, code or 1))


if __name__ == "__main__":
    main()
