"""A PEP 517 build backend for the ordercare shim, with no requirements of
its own: a wheel is the package folder plus its metadata, zipped. Only what
pyproject.toml's [project] table names is read (name, version,
description, requires-python)."""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "ordercare"


def _project():
    """The [project] table's string fields. tomllib is 3.11+; the fields
    read here are plain `key = "value"` lines, so a line reader does."""
    fields, inside = {}, False
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                inside = line == "[project]"
            match = re.match(r'^([a-z-]+)\s*=\s*"([^"]*)"$', line) if inside else None
            if match:
                fields[match.group(1)] = match.group(2)
    return fields


def _metadata(project):
    return (f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
            f"Summary: {project.get('description', '')}\nRequires-Python: {project.get('requires-python', '')}\n")


def _package_files():
    root = os.path.join(HERE, PACKAGE)
    for name in sorted(os.listdir(root)):
        if name.endswith(".py") or name == "py.typed":
            yield f"{PACKAGE}/{name}", os.path.join(root, name)


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    dist = f"{project['name']}-{project['version']}"
    wheel_name = f"{dist}-py3-none-any.whl"
    files = [(name, open(path, "rb").read()) for name, path in _package_files()]
    files.append((f"{dist}.dist-info/METADATA", _metadata(project).encode()))
    files.append((f"{dist}.dist-info/WHEEL",
                  b"Wheel-Version: 1.0\nGenerator: ordercare_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record = "".join(_record_line(name, data) for name, data in files) + f"{dist}.dist-info/RECORD,,\n"
    files.append((f"{dist}.dist-info/RECORD", record.encode()))
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files:
            wheel.writestr(name, data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    dist = f"{project['name']}-{project['version']}"
    sdist_name = f"{dist}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, sdist_name), "w:gz") as sdist:
        for name in ["pyproject.toml", "build_backend/ordercare_build.py"]:
            sdist.add(os.path.join(HERE, name), f"{dist}/{name}")
        for name, path in _package_files():
            sdist.add(path, f"{dist}/{name}")
        info = _metadata(project).encode()
        member = tarfile.TarInfo(f"{dist}/PKG-INFO")
        member.size = len(info)
        sdist.addfile(member, io.BytesIO(info))
    return sdist_name
