"""Open repositories, projects and releases files with real Python lazyscribe.

A test oracle: the TypeScript tests write files with this product's API, run
this script with Debian's ``/usr/bin/python3`` and
``PYTHONPATH=tools/python/lazyscribe-2.2.1`` (the vendored lazyscribe 2.2.1,
see README.md), and compare what Python answered with what our library
answers. Nothing here writes a file.

Paths are local or ``s3://bucket/key`` (as in production, where lazyscribe
reaches S3 through fsspec and s3fs): when the request names an ``s3://`` path,
``boto3_fsspec`` (this folder) is imported and serves the ``s3`` protocol.

Reads one JSON request on stdin, prints one JSON answer on stdout:

    {"tasks": [
      {"kind": "repository", "path": ".../repository.json",
       "parse_expiry": false,
       "queries": [{"op": "metadata" | "load", "name": "...",
                    "version": null | 0 | "2025-01-05T08:30:00" | {"datetime": "..."},
                    "match": "exact" | "asof"},
                   {"op": "filter", "version": "..." | [["name", 0], ...]},
                   {"op": "diff", "name": "...", "version": 0 | [0, 1]},
                   {"op": "list"}]},
      {"kind": "project", "path": ".../project.json", "cwd": "...",
       "registry": {"<key>": ".../upstream.json"}},
      {"kind": "releases", "path": ".../releases.json",
       "repository": ".../repository.json",
       "queries": [{"version": null | "v0.1.0" | {"datetime": "..."}, "match": "exact" | "asof"}]}
    ]}

Every query answers ``{"ok": value}`` or ``{"error": "<exception class>", "message": "..."}``.
Values are JSON with ``NaN`` / ``Infinity`` as ``{"$float": "nan" | "inf" | "-inf"}``
and datetimes as ``YYYY-MM-DDTHH:MM:SS`` (what lazyscribe writes).

A project's ``cwd`` (local projects only) is the folder lazyscribe resolves
dependencies written as relative paths against; ``registry`` adds projects to
lazyscribe's registry under keys, which resolve dependencies written as
``<key>|<slug>`` wherever the project lives.

``parse_expiry`` (a harness step, off by default): lazyscribe 2.2.1's
``Repository.load`` leaves ``expiry`` as the string read from the file, so any
search that compares against it (the latest version, ``asof``) raises
``TypeError`` -- on files Python wrote too. With ``parse_expiry`` the strings
are turned into the ``datetime`` values that Python holds in memory after
``set_artifact_expiry``, so the resolution rules themselves can be compared.
"""

from __future__ import annotations

import base64
import json
import math
import os
import sys
from datetime import datetime
from typing import Any

import fsspec
import lazyscribe
from lazyscribe import Project, Repository
from lazyscribe import release as lzr
from lazyscribe.registry import registry as lz_registry


def encode(value: Any) -> Any:
    """Turn what lazyscribe returned into strict JSON."""
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if value is None or isinstance(value, bool | int | str):
        return value
    return {"$repr": repr(value)}


def version_arg(value: Any) -> Any:
    """A query's version: ``{"datetime": s}`` is a ``datetime``, anything else as given."""
    if isinstance(value, dict) and "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    return value


def names_s3(value: Any) -> bool:
    """True when a request names an ``s3://`` path anywhere."""
    if isinstance(value, str):
        return value.startswith("s3://")
    if isinstance(value, dict):
        return any(names_s3(v) for v in value.values())
    if isinstance(value, list):
        return any(names_s3(v) for v in value)
    return False


def without_scheme(path: str) -> str:
    """``s3://bucket/key`` as lazyscribe holds it (``bucket/key``); local paths as given."""
    return path[len("s3://") :] if path.startswith("s3://") else path


def attempt(fn: Any) -> dict[str, Any]:
    """Run one query; an exception is an answer too."""
    try:
        return {"ok": encode(fn())}
    except Exception as exc:  # noqa: BLE001 -- every exception is reported
        return {"error": type(exc).__name__, "message": str(exc)}


def repository_query(repo: Repository, q: dict[str, Any]) -> dict[str, Any]:
    """One repository query."""
    op = q["op"]
    match = q.get("match", "exact")
    if op == "metadata":
        return attempt(lambda: repo.get_artifact_metadata(q["name"], version_arg(q.get("version")), match))
    if op == "load":
        return attempt(lambda: repo.load_artifact(q["name"], version=version_arg(q.get("version")), match=match))
    if op == "filter":
        def run_filter() -> Any:
            view = repo.filter(version_arg(q["version"]))
            return sorted(([a.name, a.version] for a in view.artifacts), key=lambda x: x[0])

        return attempt(run_filter)
    if op == "diff":
        version = q["version"]
        return attempt(lambda: repo.get_version_diff(q["name"], tuple(version) if isinstance(version, list) else version, match))
    if op == "list":
        return attempt(lambda: list(repo))
    raise ValueError(f"unknown repository op {op!r}")


def repository_task(task: dict[str, Any]) -> dict[str, Any]:
    """Open a repository read-only and answer its queries."""
    try:
        repo = Repository(task["path"], mode="r")
    except Exception as exc:  # noqa: BLE001
        return {"open": {"error": type(exc).__name__, "message": str(exc)}}
    if task.get("parse_expiry"):
        for art in repo.artifacts:
            if isinstance(art.expiry, str):
                art.expiry = datetime.fromisoformat(art.expiry)
    return {"open": {"ok": len(repo.artifacts)}, "answers": [repository_query(repo, q) for q in task.get("queries", [])]}


def artifact_view(owner: Any, art: Any) -> dict[str, Any]:
    """An experiment's or test's artifact: its entry and its loaded value."""
    return {
        "name": art.name,
        "handler": art.alias,
        "fname": art.fname,
        "created_at": encode(art.created_at),
        "version": art.version,
        "value": attempt(lambda: owner.load_artifact(art.name)),
    }


def project_task(task: dict[str, Any]) -> dict[str, Any]:
    """Open a project read-only (from ``cwd``: lazyscribe resolves dependencies against it)."""
    here = os.getcwd()
    os.chdir(task.get("cwd") or here)
    try:
        try:
            # As a user would: projects registered by name resolve dependencies written with that name.
            for key, location in task.get("registry", {}).items():
                lz_registry.add_project(key, Project(location, mode="r"))
            project = Project(task["path"], mode="r")
        except Exception as exc:  # noqa: BLE001
            return {"open": {"error": type(exc).__name__, "message": str(exc)}}
        # On S3, lazyscribe's experiment and test paths are ``bucket/key`` folders.
        project_dir = os.path.dirname(os.path.abspath(without_scheme(task["path"])))
        experiments = []
        for exp in project.experiments:
            experiments.append(
                {
                    "name": exp.name,
                    "author": exp.author,
                    "last_updated_by": exp.last_updated_by,
                    "created_at": encode(exp.created_at),
                    "last_updated": encode(exp.last_updated),
                    "short_slug": exp.short_slug,
                    "slug": exp.slug,
                    "path": os.path.relpath(os.path.abspath(str(exp.path)), project_dir),
                    "metrics": encode(exp.metrics),
                    "parameters": encode(exp.parameters),
                    "tags": list(exp.tags),
                    "dependencies": {
                        key: {"name": dep.name, "slug": dep.slug, "metrics": encode(dep.metrics)}
                        for key, dep in exp.dependencies.items()
                    },
                    "tests": [
                        {
                            "name": test.name,
                            "description": test.description,
                            "metrics": encode(test.metrics),
                            "parameters": encode(test.parameters),
                            "path": os.path.relpath(os.path.abspath(str(test.path)), project_dir),
                            "artifacts": [artifact_view(test, a) for a in test.artifacts],
                        }
                        for test in exp.tests
                    ],
                    "artifacts": [artifact_view(exp, a) for a in exp.artifacts],
                    "to_dict": encode(exp.to_dict()),
                }
            )
        lookups = {}
        for exp in project.experiments:
            for key in (exp.slug, exp.short_slug):
                lookups[key] = attempt(lambda key=key: project[key].slug)
        return {"open": {"ok": len(project.experiments)}, "experiments": experiments, "lookups": lookups}
    finally:
        for key in task.get("registry", {}):
            lz_registry.projects.pop(key, None)  # the registry is global: not for the next task
        os.chdir(here)


def releases_task(task: dict[str, Any]) -> dict[str, Any]:
    """Load a releases file; find releases; filter the repository by each and load its artifacts."""
    try:
        opener = fsspec.open if task["path"].startswith("s3://") else open
        with opener(task["path"], "r") as infile:
            releases = lzr.load(infile)
    except Exception as exc:  # noqa: BLE001
        return {"open": {"error": type(exc).__name__, "message": str(exc)}}
    out: dict[str, Any] = {
        "open": {"ok": len(releases)},
        "releases": [encode(r.to_dict()) for r in releases],
        "answers": [
            attempt(lambda q=q: lzr.find_release(releases, version_arg(q.get("version")), q.get("match", "exact")).to_dict())
            for q in task.get("queries", [])
        ],
    }
    if task.get("repository"):
        repo = Repository(task["repository"], mode="r")

        def pinned(release: lzr.Release) -> Any:
            view = repo.filter(release.artifacts)
            return {a.name: [a.version, encode(view.load_artifact(a.name, version=a.version))] for a in view.artifacts}

        out["filtered"] = {r.tag: attempt(lambda r=r: pinned(r)) for r in releases}
    return out


def main() -> None:
    """Answer the request on stdin."""
    request = json.load(sys.stdin)
    if names_s3(request):
        import boto3_fsspec  # noqa: F401 -- registers the s3 protocol with fsspec
    kinds = {"repository": repository_task, "project": project_task, "releases": releases_task}
    results = [kinds[task["kind"]](task) for task in request["tasks"]]
    json.dump({"lazyscribe": lazyscribe.__version__, "results": results}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
