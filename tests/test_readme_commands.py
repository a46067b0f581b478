"""Every `payung` command the README documents, run as a new user would: on a brand-new empty database,
in a fresh process, with every optional argument filled in. None may print a traceback (issue 9, decision
0015): on SQLite the first command prepares the database itself; on PostgreSQL a command that needs the
database says in one line what to run.

The commands are read from README.md, so a command documented later is tried without being listed here;
only the value of a new placeholder has to be added below (the test says which).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from payung import deploy
from payung.registry import nik as niks

ROOT = Path(__file__).resolve().parents[1]
SOURCE = str(Path(deploy.__file__).resolve().parents[1])
COMMAND = re.compile(r"`(payung [^`]+)`")
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
CHOICE = re.compile(r"\(([^()]*)\)")  # (--wage N | --income N): one of them is required
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_.-]*(\.[a-z]+)?$")
SAMPLE_NIK = niks.compose("537101", dt.date(1990, 5, 17), niks.MALE, 12)

# The value of a placeholder after a flag; a placeholder on its own is looked up by its name.
AFTER_FLAG = {
    "--region": "5371", "--code": "UJI", "--unit": "UJI", "--name": "Unit Uji", "--group": "non_asn",
    "--user": "admin", "--label": "uji", "--agreement": "1", "--batch": "1", "--rows": "30",
    "--scale": "0.01",
    "--seed": "3", "--on": "2024-05-01", "--from": "2031-01-01", "--value": "0.3", "--source": "Uji README",
    "--period": "2024-05", "--jkk-class": "1", "--wage": "3000000", "--income": "1000000", "--age": "30",
    "--layout": "sipp", "--year": "2027", "--shares": "all", "--member-since": "2020-01-01",
    "--children": "2", "--state": "draft", "--to": "2031-12-31", "--months": "1",
    "--status": "uncovered", "--reason": "never", "--page": "1", "--page-size": "50",
}  # fmt: skip
ALONE = {"NIK": SAMPLE_NIK, "KEY": "pu.jkm.employer", "ADDRESS": "127.0.0.1", "NAME": "admin", "ID": "1"}
FILES = {"--out": "keluaran.xlsx", "--pairs": "pasangan.csv", "FILE": "daftar.csv", "ROSTER": "daftar.csv",
         "BPJS": "bpjs.csv"}  # fmt: skip


def documented() -> list[str]:
    """The README's commands in the order it gives them, each once."""
    seen = dict.fromkeys(COMMAND.findall((ROOT / "README.md").read_text(encoding="utf-8")))
    return list(seen)


def _first(group: re.Match) -> str:
    """A bracketed group's first alternative (the README escapes a table's pipes as \\|)."""
    return group.group(1).replace("\\|", "|").split("|")[0]


def concrete(command: str, folder: Path) -> list[str]:
    """``command`` as argv: optional groups kept (alternatives' first choice), placeholders filled in."""
    text = CHOICE.sub(_first, OPTIONAL.sub(_first, command))
    words, argv = shlex.split(text), []
    for i, word in enumerate(words):
        flag = words[i - 1] if i and words[i - 1].startswith("--") else None
        if word.startswith("--"):
            argv.append(word)
        elif flag in FILES and PLACEHOLDER.match(word) or word in FILES:
            argv.append(str(folder / FILES[flag if flag in FILES else word]))
        elif PLACEHOLDER.match(word):
            value = AFTER_FLAG.get(flag) if flag else ALONE.get(word)
            assert value, f"README documents `{command}`: give this test a value for {word!r} after {flag}"
            argv.append(value)
        else:
            argv.append(word.split("|")[0])
    return argv[1:]  # without "payung"


def run(argv: list[str], folder: Path, database: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PAYUNG_", "DJANGO_", "DATABASE_URL"))}
    env = clean | {"PYTHONPATH": SOURCE, "PAYUNG_VAR": str(folder / "var"), "DATABASE_URL": database}
    return subprocess.run(
        [sys.executable, "-m", "payung.cli", *argv], env=env, cwd=folder, capture_output=True, text=True,
        timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def files(folder: Path) -> None:
    """The roster and the BPJS list the file-taking commands read, made with the documented generator."""
    from payung.reconcile import synthetic

    scenario = synthetic.generate(40, seed=5)
    synthetic.write(scenario, folder / FILES["ROSTER"], folder / FILES["BPJS"], dt.date(2024, 5, 1))


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database on the suite's engine: a SQLite file, or a new PostgreSQL database."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path}/baru.sqlite3"
        return
    params = connection.get_connection_params()
    name = f"payung_readme_{uuid.uuid4().hex[:8]}"
    admin = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{admin['user']}:{admin.get('password', '')}@" if admin.get("user") else ""
        yield f"postgresql://{auth}{admin.get('host', '127.0.0.1')}:{admin.get('port', 5432)}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.django_db
def test_every_documented_command_on_a_fresh_database_answers_without_a_traceback(tmp_path, fresh_database):
    files(tmp_path)
    first = run(["rules", "list"], tmp_path, fresh_database)  # the database's first use
    if connection.vendor == "postgresql":  # migrating a server stays the operator's step: one line
        assert first.returncode == 2, first.stdout + first.stderr
        assert first.stderr.strip() == "payung: basis data belum disiapkan; jalankan `payung migrate` dulu."
    else:  # the embedded database prepared itself, quietly
        assert first.returncode == 0 and "pu.jkm.employer" in first.stdout, first.stderr
    commands = documented()
    assert len(commands) >= 20, commands  # the README's table was read
    failures = []
    for command in commands:
        argv = concrete(command, tmp_path)
        result = run(argv, tmp_path, fresh_database)
        output = result.stdout + result.stderr
        misread = "unrecognized arguments" in output or "the following arguments are required" in output
        silent_fault = result.returncode == 1 and not result.stderr.strip()
        if "Traceback" in output or result.returncode not in (0, 1) or silent_fault or misread:
            failures.append(f"payung {shlex.join(argv)} -> {result.returncode}\n{output[-800:]}")
    assert not failures, "\n\n".join(failures)
