"""Request bodies and tokens the web app must refuse in its own shape, found by a new user's
trial: an upload holding NaN (a 500 before), bodies FastAPI could not parse (its own 400
text), files that are not UTF-8 (the readers' words, as on the command line), a key given
twice, a field the request does not take, a bad JSON's place, the seed's message; an empty
STATECRAFT_TOKEN and a bearer scheme in lower case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from statecraft.cli import app as cli
from statecraft.web import create_app
from statecraft.web.bodies import body_fault
from tests.conftest import TINY


def _client(**kw: Any) -> TestClient:
    return TestClient(
        create_app(record=False, **kw), base_url="http://localhost", raise_server_exceptions=False
    )


def _strict(text: str) -> Any:
    """The body parsed as strict JSON (NaN and Infinity refused)."""

    def refuse(word: str) -> Any:
        raise ValueError(f"not strict JSON: {word}")

    return json.loads(text, parse_constant=refuse)


def _with_nan() -> str:
    data = json.loads(json.dumps(TINY))
    data["actors"][0]["capability"] = float("nan")
    data["actors"][1]["capability"] = float("inf")
    return json.dumps(data)  # Python writes NaN and Infinity, as some tools do


@pytest.mark.parametrize(
    ("name", "body", "cell"),
    [
        ("nan.json", _with_nan(), "NaN"),
        ("nan.yaml", "name: x\nactors:\n  - {id: a, capability: .nan}\n", "NaN"),
        ("inf.yaml", "name: x\nactors:\n  - {id: a, capability: -.inf}\n", "-Infinity"),
    ],
)
def test_an_upload_holding_nan_is_a_422_in_strict_json(name: str, body: str, cell: str) -> None:
    with _client() as c:
        answer = c.post(
            "/api/scenarios",
            params={"name": name},
            content=body.encode(),
            headers={"Content-Type": "application/octet-stream"},
        )
    assert answer.status_code == 422, answer.text[:300]
    refusal = _strict(answer.text)
    assert refusal["error"].startswith(name)
    assert refusal["data"]["actors"][0]["capability"] == cell  # the value at its cell


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 5000 + b"]" * 5000, "the request's body is nested too deeply to be read"),
        (
            b'{"name": "caf\xe9"}',
            "the request's body is not UTF-8 text: byte 0xe9 at line 1, column 14",
        ),
        ('{"name": "x"}'.encode("utf-16"), "the request's body is UTF-16 text"),
        (b'{"name": "x",\n "actors": [}', "not valid JSON: expecting value at line 2, column 13"),
        (b'{"name": "x", "name": "y"}', "gives the key 'name' twice in one object"),
        (b'{"a": {"b": 1, "b": 2}}', "gives the key 'b' twice"),
    ],
)
def test_bodies_that_cannot_be_read_are_a_422_that_says_why(body: bytes, says: str) -> None:
    with _client() as c:
        answer = c.post("/api/validate", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    refusal = _strict(answer.text)
    assert says in refusal["error"]
    assert refusal["path"] is None  # never a character offset
    assert "error parsing the body" not in answer.text


def test_a_key_twice_is_refused_where_a_request_takes_a_body() -> None:
    body = b'{"scenario": "karabakh-2020", "scenario": "ec-emissions-1994"}'
    with _client() as c:
        for path in ("/api/forecast", "/api/studies", "/api/brief"):
            answer = c.post(path, content=body, headers={"Content-Type": "application/json"})
            assert answer.status_code == 422, path
            assert "'scenario' twice" in answer.json()["error"]
    assert body_fault(b'{"scenario": "karabakh-2020"}') is None


def test_a_field_the_request_does_not_take_is_refused_by_name() -> None:
    with _client() as c:
        answer = c.post(
            "/api/forecast",
            json={"scenario": "ec-emissions-1994", "modles": ["compromise"]},
        )
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "modles in the request's body is not a field of this request: leave it "
        "out, or see /openapi.json for the fields it takes",
        "path": ["modles"],
    }


def test_the_seed_message_says_what_was_given_once() -> None:
    with _client() as c:
        answer = c.post("/api/studies", json={"scenario": "karabakh-2020", "seed": -1})
    assert answer.status_code == 422
    assert answer.json()["error"] == (
        "seed in the request's body: the seed must be a whole number from 0 to "
        "9223372036854775807 (got -1)"
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            "name: x\n".encode("utf-16"),
            "a.yaml: the file is UTF-16 text (it starts with a UTF-16 byte-order mark)",
        ),
        (
            "name: caf\xe9\n".encode("latin-1"),
            "a.yaml, line 1: the file is not UTF-8 text: byte 0xe9 at column 10",
        ),
        (b"\x00\x01\x02binary", "a.yaml, line 1: the text holds a NUL character at column 1"),
    ],
)
def test_an_upload_that_is_not_utf8_gets_the_readers_words(body: bytes, says: str) -> None:
    with _client() as c:
        answer = c.post(
            "/api/scenarios",
            params={"name": "a.yaml"},
            content=body,
            headers={"Content-Type": "application/octet-stream"},
        )
    assert answer.status_code == 422
    assert answer.json()["error"].startswith(says)


def test_the_bearer_scheme_in_any_case_and_no_other() -> None:
    with _client(token="s3cret") as c:
        for scheme in ("Bearer", "bearer", "BEARER"):
            assert (
                c.get("/api/models", headers={"Authorization": f"{scheme} s3cret"}).status_code
                == 200
            )
        for wrong in ("Basic s3cret", "s3cret", "Bearer", "Bearers3cret", "bearer wrong"):
            assert c.get("/api/models", headers={"Authorization": wrong}).status_code == 401


def test_an_empty_statecraft_token_is_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: started.append(server))
    for empty in ("", "   "):
        monkeypatch.setenv("STATECRAFT_TOKEN", empty)
        refused = CliRunner().invoke(cli, ["serve", "--no-store"])
        assert refused.exit_code == 2
        assert "the token is empty" in refused.output
    assert started == []
    monkeypatch.delenv("STATECRAFT_TOKEN")
    assert CliRunner().invoke(cli, ["serve", "--no-store"]).exit_code == 0
    assert len(started) == 1
