"""Write repositories and projects with real Python lazyscribe.

The writing counterpart of ``open_with_lazyscribe.py`` (same invocation: Debian's
``/usr/bin/python3``, ``PYTHONPATH=tools/python/lazyscribe-2.2.1``, one JSON
request on stdin, one JSON answer on stdout; see README.md). The TypeScript
tests use it to make files the way Python lazyscribe makes them -- locally or at
``s3://bucket/key`` (``boto3_fsspec``, this folder, serves the ``s3`` protocol
when the request names an ``s3://`` path) -- and then read them with our library.

    {"tasks": [
      {"kind": "repository", "path": ".../repository.json", "mode": "w" | "w+",
       "steps": [{"op": "log", "at": "2025-01-01T12:00:00", "name": "...", "value": ...,
                  "handler": "json", "fname": null, "kwargs": {"indent": 4}},
                 {"op": "expiry", "at": "...", "name": "...", "version": 0,
                  "expiry": "2025-02-15T00:00:00" | null}]},
      {"kind": "project", "path": ".../project.json", "mode": "w" | "a" | "w+", "author": "...",
       "experiments": [{"name": "...", "at": "...", "metrics": {...}, "parameters": {...},
                        "tags": [...], "artifacts": [<artifact>],
                        "tests": [{"name": "...", "description": null, "metrics": {...},
                                   "parameters": {...}, "artifacts": [<artifact>]}],
                        "dependencies": [{"project": ".../upstream.json", "experiment": "<slug>"}]}],
       "promote": [{"at": "...", "experiment": "<slug>", "artifact": "...",
                    "repository": ".../repository.json"}]}
    ]}

where ``<artifact>`` is ``{"name", "value", "handler", "fname", "kwargs"}``.
A repository task logs its steps then calls ``save()`` once; a project task
logs its experiments, calls ``save()``, then promotes each artifact listed
(``Experiment.promote_artifact``: the file is copied on the filesystem and the
target repository saved). Each task answers ``{"ok": ...}`` (the manifest
entries lazyscribe saved: ``list(repository)`` / ``list(project)``) or
``{"error": "<exception class>", "message": "..."}``. Values take
``{"$float": "nan" | "inf" | "-inf"}`` for the floats JSON cannot spell.

``at`` freezes lazyscribe's clock (``lazyscribe._utils.utcnow``, which names
files and stamps versions and experiments) at that UTC time for what follows,
as the reference fixtures were made with a frozen clock; without it the real
clock runs (and two versions logged in one second would share a file name).
"""

from __future__ import annotations

import json
import math
import sys
from datetime import datetime
from typing import Any

import lazyscribe
import lazyscribe._utils as lz_utils
from lazyscribe import Project, Repository
# The reader's JSON conventions and request scan (this folder is on sys.path).
from open_with_lazyscribe import encode, names_s3

_REAL_UTCNOW_CODE = lz_utils.utcnow.__code__


def _frozen_utcnow() -> datetime:
    return _LAZYSCRIBE_FROZEN_NOW  # type: ignore[name-defined]  # noqa: F821 -- a global of lazyscribe._utils


def freeze_clock(at: str | None) -> None:
    """Make ``lazyscribe._utils.utcnow()`` return ``at`` (naive UTC), or the real time again for ``None``.

    attrs captured ``utcnow`` itself as a default factory (``Factory(utcnow)``),
    so the function's code is swapped rather than the module attribute; the
    frozen value lives in ``lazyscribe._utils``' globals, where that code runs.
    """
    if at is None:
        lz_utils.utcnow.__code__ = _REAL_UTCNOW_CODE
        return
    lz_utils._LAZYSCRIBE_FROZEN_NOW = datetime.fromisoformat(at)  # type: ignore[attr-defined]
    lz_utils.utcnow.__code__ = _frozen_utcnow.__code__


def decode(value: Any) -> Any:
    """JSON from the request, with ``{"$float": ...}`` as the float it names."""
    if isinstance(value, dict):
        if set(value) == {"$float"}:
            return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[value["$float"]]
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def log_artifact(owner: Any, spec: dict[str, Any]) -> None:
    """``owner.log_artifact`` (a repository, experiment or test) from an artifact spec."""
    owner.log_artifact(spec["name"], decode(spec["value"]), spec.get("handler", "json"), fname=spec.get("fname"), **spec.get("kwargs", {}))


def repository_task(task: dict[str, Any]) -> Any:
    """Log and expire versions, then save the repository."""
    repo = Repository(task["path"], mode=task.get("mode", "w+"))
    for step in task.get("steps", []):
        if "at" in step:
            freeze_clock(step["at"])
        if step["op"] == "log":
            log_artifact(repo, step)
        elif step["op"] == "expiry":
            repo.set_artifact_expiry(step["name"], step["version"], expiry=step.get("expiry"))
        else:
            raise ValueError(f"unknown repository step {step['op']!r}")
    repo.save()
    return list(repo)


def project_task(task: dict[str, Any]) -> Any:
    """Log experiments (with tests, artifacts, dependencies), save, then promote artifacts."""
    project = Project(task["path"], mode=task.get("mode", "w"), author=task.get("author"))
    upstream: dict[str, Project] = {}
    for spec in task.get("experiments", []):
        if "at" in spec:
            freeze_clock(spec["at"])
        with project.log(spec["name"]) as exp:
            for k, v in spec.get("metrics", {}).items():
                exp.log_metric(k, decode(v))
            for k, v in spec.get("parameters", {}).items():
                exp.log_parameter(k, decode(v))
            if spec.get("tags"):
                exp.tag(*spec["tags"])
            for art in spec.get("artifacts", []):
                log_artifact(exp, art)
            for t in spec.get("tests", []):
                with exp.log_test(t["name"], t.get("description")) as test:
                    for k, v in t.get("metrics", {}).items():
                        test.log_metric(k, decode(v))
                    for k, v in t.get("parameters", {}).items():
                        test.log_parameter(k, decode(v))
                    for art in t.get("artifacts", []):
                        log_artifact(test, art)
            for dep in spec.get("dependencies", []):
                up = upstream.get(dep["project"]) or upstream.setdefault(dep["project"], Project(dep["project"], mode="r"))
                dexp = up[dep["experiment"]]
                exp.dependencies[dexp.short_slug] = dexp
    project.save()
    for promo in task.get("promote", []):
        if "at" in promo:
            freeze_clock(promo["at"])
        target = Repository(promo["repository"], mode="w+")
        project[promo["experiment"]].promote_artifact(target, promo["artifact"])
    return [exp.to_dict() for exp in project.experiments]


def run(fn: Any, task: dict[str, Any]) -> dict[str, Any]:
    """One task; an exception is an answer too. The clock runs again afterwards."""
    try:
        return {"ok": encode(fn(task))}
    except Exception as exc:  # noqa: BLE001 -- every exception is reported
        return {"error": type(exc).__name__, "message": str(exc)}
    finally:
        freeze_clock(None)


def main() -> None:
    """Carry out the request on stdin."""
    request = json.load(sys.stdin)
    if names_s3(request):
        import boto3_fsspec  # noqa: F401 -- registers the s3 protocol with fsspec
    kinds = {"repository": repository_task, "project": project_task}
    results = [run(kinds[task["kind"]], task) for task in request["tasks"]]
    json.dump({"lazyscribe": lazyscribe.__version__, "results": results}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
