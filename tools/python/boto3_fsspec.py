"""A small fsspec filesystem for ``s3://`` on boto3: test tooling, not a product.

In production, Python lazyscribe reaches S3 through fsspec and s3fs
(``Repository("s3://bucket/prefix/repository.json")``). s3fs is not packaged
in Debian 12 and PyPI is not reachable on the test machines, so the tests
register this class for the ``s3`` protocol instead. It follows s3fs's path
semantics, and only for what lazyscribe 2.2.1 calls (see README.md):

- paths are ``bucket/key`` (``_strip_protocol`` removes ``s3://`` / ``s3a://``
  and trailing slashes); "directories" are implied by keys: ``bucket/a`` is a
  directory when some key starts with ``a/``;
- ``info`` / ``exists`` / ``isfile`` / ``isdir`` (HeadObject, then a one-key
  listing of the prefix), ``ls`` (ListObjectsV2 with ``Delimiter="/"``),
  ``find`` (a flat ListObjectsV2);
- ``open`` for ``rb`` (ranged GetObject) and ``wb`` (one PutObject when the
  file is closed, or when the fsspec transaction it was opened in commits;
  nothing is written when the transaction is discarded), text modes through
  fsspec's ``TextIOWrapper``;
- ``mkdir`` / ``makedirs``: as in s3fs, a bucket is created when the path is
  only a bucket that does not exist; under an existing bucket they do nothing
  (S3 has no directories);
- ``cp_file`` (CopyObject), ``rm_file`` / ``rm`` (DeleteObject(s)).

The client: boto3 1.26 does not read ``AWS_ENDPOINT_URL_S3``, so it is passed
as ``endpoint_url`` (or ``AWS_ENDPOINT_URL``, or the ``endpoint_url`` storage
option); path-style addressing; region from ``AWS_REGION`` /
``AWS_DEFAULT_REGION``; keys from boto3's usual sources
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``) or the
s3fs-style storage options ``key`` / ``secret`` / ``token``.

Limits (fine for the tests' small files): a written file is held in memory and
sent with one PutObject (at most 5 GiB); no append mode; no listing cache.

Importing this module registers it (``clobber=True``) for ``s3`` and ``s3a``.
"""

from __future__ import annotations

import io
import os
from typing import Any

import boto3
import fsspec
from botocore.config import Config
from botocore.exceptions import ClientError
from fsspec.spec import AbstractBufferedFile, AbstractFileSystem

_NOT_FOUND = {"404", "NoSuchKey", "NoSuchBucket", "NotFound"}
_DENIED = {"403", "AccessDenied", "Forbidden"}


def _translate(err: ClientError, path: str) -> Exception:
    """A boto3 error as the OSError s3fs raises for it."""
    code = str(err.response.get("Error", {}).get("Code", ""))
    if code in _NOT_FOUND:
        return FileNotFoundError(path)
    if code in _DENIED:
        return PermissionError(path)
    return OSError(f"{path}: {err}")


def _is_not_found(err: ClientError) -> bool:
    return str(err.response.get("Error", {}).get("Code", "")) in _NOT_FOUND


class Boto3S3FileSystem(AbstractFileSystem):
    """``s3://`` through boto3, with s3fs's path semantics (see the module docstring)."""

    protocol = ("s3", "s3a")
    root_marker = ""

    def __init__(
        self,
        key: str | None = None,
        secret: str | None = None,
        token: str | None = None,
        endpoint_url: str | None = None,
        client_kwargs: dict[str, Any] | None = None,
        config_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        client_kwargs = dict(client_kwargs or {})
        endpoint = endpoint_url or client_kwargs.pop("endpoint_url", None) or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        region = client_kwargs.pop("region_name", None) or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        config = {"s3": {"addressing_style": "path"}, **(config_kwargs or {})}
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token)
        self.client = session.client("s3", endpoint_url=endpoint, region_name=region, config=Config(**config), **client_kwargs)

    # -- paths -----------------------------------------------------------------

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        path = str(path)
        for proto in ("s3://", "s3a://"):
            if path.startswith(proto):
                path = path[len(proto) :]
                break
        return path.rstrip("/")

    def split_path(self, path: str) -> tuple[str, str]:
        """``bucket/key`` -> ``(bucket, key)``; ``key`` is ``""`` for a bucket."""
        path = self._strip_protocol(path)
        bucket, _, key = path.partition("/")
        return bucket, key

    @staticmethod
    def _file_info(bucket: str, key: str, size: int, etag: str | None = None, modified: Any = None) -> dict[str, Any]:
        return {"name": f"{bucket}/{key}", "size": size, "type": "file", "ETag": etag, "LastModified": modified}

    @staticmethod
    def _dir_info(name: str) -> dict[str, Any]:
        return {"name": name, "size": 0, "type": "directory"}

    # -- metadata --------------------------------------------------------------

    def _bucket_exists(self, bucket: str) -> bool:
        try:
            self.client.head_bucket(Bucket=bucket)
            return True
        except ClientError as err:
            if _is_not_found(err):
                return False
            raise _translate(err, bucket) from err

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        path = self._strip_protocol(path)
        if path == "":
            return self._dir_info("")
        bucket, key = self.split_path(path)
        if not key:
            if self._bucket_exists(bucket):
                return self._dir_info(bucket)
            raise FileNotFoundError(path)
        try:
            head = self.client.head_object(Bucket=bucket, Key=key)
            return self._file_info(bucket, key, head["ContentLength"], head.get("ETag"), head.get("LastModified"))
        except ClientError as err:
            if not _is_not_found(err):
                raise _translate(err, path) from err
        # Not an object: a directory when some key lies under it.
        try:
            page = self.client.list_objects_v2(Bucket=bucket, Prefix=key + "/", Delimiter="/", MaxKeys=1)
        except ClientError as err:
            raise _translate(err, path) from err
        if page.get("Contents") or page.get("CommonPrefixes"):
            return self._dir_info(path)
        raise FileNotFoundError(path)

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        path = self._strip_protocol(path)
        if path == "":
            out = [self._dir_info(b["Name"]) for b in self.client.list_buckets().get("Buckets", [])]
        else:
            bucket, key = self.split_path(path)
            prefix = key + "/" if key else ""
            out = []
            try:
                for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
                    for p in page.get("CommonPrefixes", []):
                        out.append(self._dir_info(f"{bucket}/{p['Prefix'].rstrip('/')}"))
                    for o in page.get("Contents", []):
                        if o["Key"] != prefix:  # a "folder marker" object is the folder itself
                            out.append(self._file_info(bucket, o["Key"], o["Size"], o.get("ETag"), o.get("LastModified")))
            except ClientError as err:
                raise _translate(err, path) from err
            if not out:
                if key:
                    out = [self.info(path)]  # a file lists as itself; FileNotFoundError when nothing is there
                    if out[0]["type"] != "file":
                        out = []
                elif not self._bucket_exists(bucket):
                    raise FileNotFoundError(path)
        out.sort(key=lambda o: o["name"])
        return out if detail else [o["name"] for o in out]

    def find(self, path: str, maxdepth: int | None = None, withdirs: bool = False, detail: bool = False, **kwargs: Any) -> Any:
        if maxdepth is not None:
            return super().find(path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs)
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        prefix = key + "/" if key else ""
        found: dict[str, dict[str, Any]] = {}
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for o in page.get("Contents", []):
                    if o["Key"] == prefix:
                        continue
                    info = self._file_info(bucket, o["Key"], o["Size"], o.get("ETag"), o.get("LastModified"))
                    found[info["name"]] = info
                    if withdirs:
                        parts = o["Key"][len(prefix) :].split("/")[:-1]
                        for i in range(1, len(parts) + 1):
                            name = "/".join([path, *parts[:i]])
                            found.setdefault(name, self._dir_info(name))
        except ClientError as err:
            if not _is_not_found(err):
                raise _translate(err, path) from err
        if not found and key:
            try:
                info = self.info(path)
            except FileNotFoundError:
                info = None
            if info and info["type"] == "file":
                found[path] = info
        names = sorted(found)
        return {n: found[n] for n in names} if detail else names

    # -- "directories" -----------------------------------------------------------

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        path = self._strip_protocol(path)
        if not path:
            raise ValueError("no bucket in path")
        bucket, key = self.split_path(path)
        if self._bucket_exists(bucket):
            if not key:
                raise FileExistsError(path)
            return  # a "directory" under an existing bucket: nothing to create
        if key and not create_parents:
            raise FileNotFoundError(bucket)
        try:
            self.client.create_bucket(Bucket=bucket)
        except ClientError as err:
            raise _translate(err, bucket) from err

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        try:
            self.mkdir(path, create_parents=True)
        except FileExistsError:
            if not exist_ok:
                raise

    # -- objects -----------------------------------------------------------------

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        b1, k1 = self.split_path(path1)
        b2, k2 = self.split_path(path2)
        if not k1 or not k2:
            raise ValueError(f"cannot copy {path1!r} to {path2!r}: both must be objects")
        try:
            self.client.copy_object(Bucket=b2, Key=k2, CopySource={"Bucket": b1, "Key": k1})
        except ClientError as err:
            raise _translate(err, path1) from err

    def rm_file(self, path: str) -> None:
        bucket, key = self.split_path(path)
        if not key:
            raise ValueError(f"not an object: {path!r}")
        try:
            self.client.delete_object(Bucket=bucket, Key=key)
        except ClientError as err:
            raise _translate(err, path) from err

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        by_bucket: dict[str, list[str]] = {}
        for p in self.expand_path(path, recursive=recursive, maxdepth=maxdepth):
            bucket, key = self.split_path(p)
            if key:  # implied directories and buckets hold no object of their own
                by_bucket.setdefault(bucket, []).append(key)
        for bucket, keys in by_bucket.items():
            for i in range(0, len(keys), 1000):
                batch = [{"Key": k} for k in keys[i : i + 1000]]
                try:
                    res = self.client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
                except ClientError as err:
                    raise _translate(err, bucket) from err
                if res.get("Errors"):
                    first = res["Errors"][0]
                    raise OSError(f"{bucket}/{first.get('Key')}: {first.get('Code')} {first.get('Message')}")

    def _open(self, path: str, mode: str = "rb", block_size: int | None = None, autocommit: bool = True, cache_options: Any = None, **kwargs: Any) -> Boto3S3File:
        if mode not in ("rb", "wb"):
            raise NotImplementedError(f"mode {mode!r}: only rb and wb (and their text forms)")
        return Boto3S3File(self, path, mode, block_size or "default", autocommit, cache_options=cache_options, **kwargs)


class Boto3S3File(AbstractBufferedFile):
    """One object: ranged reads; writes held in memory and sent in one PutObject."""

    def __init__(self, fs: Boto3S3FileSystem, path: str, mode: str, block_size: Any, autocommit: bool, **kwargs: Any) -> None:
        path = fs._strip_protocol(path)
        self.bucket, self.key = fs.split_path(path)
        if not self.key:
            raise ValueError(f"Attempt to open non key-like path: {path}")  # s3fs's error and message
        self._pending: bytes | None = None
        super().__init__(fs, path, mode, block_size, autocommit, **kwargs)

    def _fetch_range(self, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        try:
            res = self.fs.client.get_object(Bucket=self.bucket, Key=self.key, Range=f"bytes={start}-{end - 1}")
        except ClientError as err:
            raise _translate(err, self.path) from err
        return res["Body"].read()

    def _initiate_upload(self) -> None:
        """Nothing to start: the object is sent whole (see ``_upload_chunk``)."""

    def _upload_chunk(self, final: bool = False) -> bool:
        if not final:
            return False  # keep buffering: fsspec keeps the buffer while this returns False
        self._pending = self.buffer.getvalue()
        if self.autocommit:
            self.commit()
        return True

    def commit(self) -> None:
        """Send the object (at close, or when the transaction it was opened in commits)."""
        if self._pending is None:
            return
        try:
            self.fs.client.put_object(Bucket=self.bucket, Key=self.key, Body=self._pending)
        except ClientError as err:
            raise _translate(err, self.path) from err
        self._pending = None

    def discard(self) -> None:
        """Drop what was written: the transaction was abandoned."""
        self._pending = None


fsspec.register_implementation("s3", Boto3S3FileSystem, clobber=True)
fsspec.register_implementation("s3a", Boto3S3FileSystem, clobber=True)
