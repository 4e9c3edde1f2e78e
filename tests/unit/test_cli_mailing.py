"""``custdesk-cli mailing``: sent, left out with the reason, failed; a second run in the gap sends nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from smtp_server import REFUSED, Mailbox, body, running_server
from sqlalchemy import func, select

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, main
from custdesk.core.db import open_base
from custdesk.core.models import Client, Email, Interaction

T = datetime(2025, 1, 1, 9, 0)


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        with db.session() as s:
            for ext, name, address, segment in (
                ("C-1", "Anna", "anna@example.org", "at risk"),
                ("C-2", "Boris", "boris@example.org", "at risk"),
                ("C-3", "Rolf", REFUSED, "at risk"),
                ("C-4", "Nina", None, "at risk"),
                ("C-5", "Lev", "lev@example.org", "loyal"),
            ):
                c = Client(external_id=ext, name=name, created_at=T, updated_at=T, rfm_segment=segment)
                if address:
                    c.emails.append(Email(address=address, address_key=address, is_primary=True))
                s.add(c)
    finally:
        db.close()
    return empty_base_file


@pytest.fixture
def server() -> Iterator[Mailbox]:
    with running_server() as box:
        yield box


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "offer.txt"
    path.write_text("Subject: For you, {{ name }}\n\nHello {{ name }}!\n", encoding="utf-8")
    return path


def _run(base: Path, template: Path, server: Mailbox, *extra: str) -> list[str]:
    return ["mailing", "--db", str(base), "--template", str(template), "--smtp", f"127.0.0.1:{server.port}",
            "--sender", "shop@example.com", *extra, "--json"]  # fmt: skip


def test_a_segment_mailing_reports_sent_left_out_and_failed(
    base: Path, template: Path, server: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_run(base, template, server, "--segment", "at risk")) == EXIT_PROBLEMS
    data = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["subject"]) for r in data["sent"]] == [(1, "For you, Anna"), (2, "For you, Boris")]
    assert [(e["id"], e["reason"]) for e in data["left_out"]] == [(4, "no-email")]
    assert [(f["id"], f["email"]) for f in data["failed"]] == [(3, REFUSED)]
    assert "550" in data["failed"][0]["error"]
    (anna,) = server.to("anna@example.org")
    assert body(anna) == "Hello Anna!\n"
    assert len(server.letters) == 2

    # Within the gap: nothing goes, and each client is listed with its last mailing.
    other = template.with_name("other.txt")
    other.write_text("Subject: Another\n\nHi", encoding="utf-8")
    assert main(_run(base, other, server, "--ids", "1,2")) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["sent"] == []
    assert [(e["id"], e["reason"], e["last_mailed"]) for e in data["left_out"]] == [
        (1, "too-soon", datetime.now().date().isoformat()),
        (2, "too-soon", datetime.now().date().isoformat()),
    ]
    assert len(server.letters) == 2


def test_dry_run_sends_and_writes_nothing(
    base: Path, template: Path, server: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_run(base, template, server, "--ids", "1,5", "--dry-run")) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["sent"]] == [1, 5] and data["dry_run"] is True
    assert server.letters == []
    db = open_base(base, readonly=True)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Interaction)) == 0
    finally:
        db.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ids", "1,x"], "not a list of client numbers"),
        (["--ids", "99"], "no client with the number 99"),
        (["--segment", "sleepy"], "not an RFM segment"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    base: Path,
    template: Path,
    server: Mailbox,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(_run(base, template, server, *args)) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert server.letters == []


def test_a_file_that_is_no_template_is_refused(
    base: Path, tmp_path: Path, server: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Hello {{ name }}", encoding="utf-8")
    assert main(_run(base, bad, server, "--ids", "1")) == EXIT_BAD_INPUT
    assert "Subject" in capsys.readouterr().err
