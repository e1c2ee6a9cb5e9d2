"""The purity guard: crisisops does no I/O, reads no clock, draws no hidden randomness.

DESIGN.md principle 1 ("pure domain, no I/O") says nothing under ``src/crisisops``
reads or writes files, sockets, the environment, stdout/stderr or a logger's
handlers, reads the clock, or draws from an unseeded random source. This module
enforces it with a static scan of every ``.py`` file in the package: it parses
the source with :mod:`ast`, resolves each dotted name through the file's imports
(so ``import numpy as np; np.random.seed()`` and ``from time import time as t;
t()`` are both seen for what they are) and reports each finding as
``file:line:col: [rule] what``.

Rules (the ``rule`` tag in a report):

``io``
    Importing or using file, network, process or OS modules (``os``, ``io``,
    ``pathlib``, ``socket``, ``subprocess``, ``shutil``, ``tempfile``, ``urllib``,
    ``http``, ``requests``, ...), the ``open`` builtin, numpy/json/networkx file
    readers and writers, and file-writing methods such as ``.write_text()``.
``stdio``
    ``print``, ``input`` and any use of ``sys.stdout``/``stderr``/``stdin``.
``env``
    ``os.environ``, ``os.getenv`` and friends, ``sys.argv``.
``clock``
    The ``time`` module and ``datetime.now``/``utcnow``/``today``,
    ``date.today`` (and any ``.now()``/``.utcnow()``/``.today()`` call).
``random``
    The stdlib ``random`` and ``secrets`` modules, ``uuid.uuid1``/``uuid4``,
    ``os.urandom``, numpy's legacy global-state functions (``np.random.seed``,
    ``rand``, ``normal``, ...), ``RandomState``, and ``default_rng()`` /
    ``SeedSequence()`` / bit generators called without a seed or with ``None``.
``logging``
    Configuring logging: ``logging.config``, ``logging.handlers``,
    ``basicConfig``, ``FileHandler``/``StreamHandler``, ``.addHandler()`` (a
    ``logging.NullHandler`` is allowed).
``dynamic-import`` / ``dynamic-code`` / ``unsafe-serialisation`` / ``debugger``
    ``importlib``, ``pkgutil``, ``runpy``, ``__import__``; ``eval``, ``exec``,
    ``compile``; ``pickle``, ``marshal``, ``shelve``; ``breakpoint``.

Allowed on purpose: ``warnings.warn``, drawing from a ``numpy.random.Generator``
that was passed in, ``np.random.default_rng(seed)``, ``np.random.Generator`` in
annotations and ``isinstance`` checks, ``logging.getLogger`` and log calls. One
exemption: a package ``__init__.py`` may call ``importlib.import_module`` to load
its own submodules lazily (PEP 562), and ``_optional.py`` may, to import an
optional extra on first use; every other ``importlib`` use is reported.
"""

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "crisisops"

# --------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------

_IO = "io"
_STDIO = "stdio"
_ENV = "env"
_CLOCK = "clock"
_RANDOM = "random"
_LOGGING = "logging"
_DYNAMIC_IMPORT = "dynamic-import"
_DYNAMIC_CODE = "dynamic-code"
_UNSAFE = "unsafe-serialisation"
_DEBUGGER = "debugger"

_CLOCK_WHY = "reads the clock; take the moment as an aware datetime argument"
_ENV_WHY = "reads or changes the process environment; take settings as arguments"
_STDIO_WHY = "uses the standard streams; return values instead"
_SEED_WHY = "draw from a numpy.random.Generator or int seed passed in"
_LOGGING_WHY = "configuring logging is the application's job, not the library's"

#: Modules whose import alone breaks purity: module -> (rule, why).
FORBIDDEN_MODULES: dict[str, tuple[str, str]] = {
    "os": (_IO, "operating-system access (files, environment, processes)"),
    "io": (_IO, "stream and file I/O"),
    "pathlib": (_IO, "filesystem paths and file I/O"),
    "shutil": (_IO, "file operations"),
    "tempfile": (_IO, "temporary files"),
    "glob": (_IO, "filesystem listing"),
    "fileinput": (_IO, "file input"),
    "zipfile": (_IO, "archive files"),
    "tarfile": (_IO, "archive files"),
    "socket": (_IO, "network I/O"),
    "ssl": (_IO, "network I/O"),
    "select": (_IO, "waiting on I/O"),
    "selectors": (_IO, "waiting on I/O"),
    "http": (_IO, "network I/O"),
    "urllib": (_IO, "network I/O"),
    "requests": (_IO, "network I/O"),
    "httpx": (_IO, "network I/O"),
    "aiohttp": (_IO, "network I/O"),
    "ftplib": (_IO, "network I/O"),
    "smtplib": (_IO, "network I/O"),
    "webbrowser": (_IO, "opens a browser"),
    "subprocess": (_IO, "runs processes"),
    "multiprocessing": (_IO, "starts processes"),
    "signal": (_IO, "process signals"),
    "ctypes": (_IO, "calls native code"),
    "sqlite3": (_IO, "database files"),
    "dbm": (_IO, "database files"),
    "getpass": (_IO, "reads the terminal and the user name"),
    "shelve": (_UNSAFE, "pickle-backed files; see DESIGN principle 4"),
    "pickle": (_UNSAFE, "runs code on load; see DESIGN principle 4"),
    "marshal": (_UNSAFE, "unsafe serialisation; see DESIGN principle 4"),
    "time": (_CLOCK, "the time module reads the clock and sleeps"),
    "random": (_RANDOM, "stdlib random uses hidden global state; " + _SEED_WHY),
    "secrets": (_RANDOM, "operating-system entropy is never reproducible"),
    "importlib": (_DYNAMIC_IMPORT, "imports modules by name"),
    "pkgutil": (_DYNAMIC_IMPORT, "imports modules by name and reads package data"),
    "runpy": (_DYNAMIC_IMPORT, "runs modules by name"),
    "zipimport": (_DYNAMIC_IMPORT, "imports from archives"),
    "logging.handlers": (_LOGGING, _LOGGING_WHY),
    "logging.config": (_LOGGING, _LOGGING_WHY),
}

#: Fully qualified names (and everything under them) that break purity.
FORBIDDEN_NAMES: dict[str, tuple[str, str]] = {
    "builtins.open": (_IO, "open() reads or writes files"),
    "builtins.print": (_STDIO, "print() writes to stdout; return values instead"),
    "builtins.input": (_STDIO, "input() reads stdin"),
    "builtins.eval": (_DYNAMIC_CODE, "eval() runs code from a string"),
    "builtins.exec": (_DYNAMIC_CODE, "exec() runs code from a string"),
    "builtins.compile": (_DYNAMIC_CODE, "compile() builds code from a string"),
    "builtins.__import__": (_DYNAMIC_IMPORT, "__import__() imports modules by name"),
    "builtins.breakpoint": (_DEBUGGER, "breakpoint() stops in a debugger"),
    "datetime.datetime.now": (_CLOCK, _CLOCK_WHY),
    "datetime.datetime.utcnow": (_CLOCK, _CLOCK_WHY),
    "datetime.datetime.today": (_CLOCK, _CLOCK_WHY),
    "datetime.date.today": (_CLOCK, _CLOCK_WHY),
    "os.environ": (_ENV, _ENV_WHY),
    "os.environb": (_ENV, _ENV_WHY),
    "os.getenv": (_ENV, _ENV_WHY),
    "os.getenvb": (_ENV, _ENV_WHY),
    "os.putenv": (_ENV, _ENV_WHY),
    "os.unsetenv": (_ENV, _ENV_WHY),
    "sys.argv": (_ENV, _ENV_WHY),
    "os.urandom": (_RANDOM, "operating-system entropy is never reproducible"),
    "os.getrandom": (_RANDOM, "operating-system entropy is never reproducible"),
    "uuid.uuid1": (_RANDOM, "uuid1() reads the clock and the host's address"),
    "uuid.uuid4": (_RANDOM, "uuid4() draws operating-system entropy"),
    "sys.stdout": (_STDIO, _STDIO_WHY),
    "sys.stderr": (_STDIO, _STDIO_WHY),
    "sys.stdin": (_STDIO, _STDIO_WHY),
    "sys.__stdout__": (_STDIO, _STDIO_WHY),
    "sys.__stderr__": (_STDIO, _STDIO_WHY),
    "sys.__stdin__": (_STDIO, _STDIO_WHY),
    "logging.basicConfig": (_LOGGING, _LOGGING_WHY),
    "logging.FileHandler": (_LOGGING, _LOGGING_WHY),
    "logging.StreamHandler": (_LOGGING, _LOGGING_WHY),
    "logging.disable": (_LOGGING, _LOGGING_WHY),
    "logging.captureWarnings": (_LOGGING, _LOGGING_WHY),
    "numpy.random.RandomState": (_RANDOM, "legacy RandomState; " + _SEED_WHY),
    "numpy.save": (_IO, "writes a file"),
    "numpy.savez": (_IO, "writes a file"),
    "numpy.savez_compressed": (_IO, "writes a file"),
    "numpy.savetxt": (_IO, "writes a file"),
    "numpy.load": (_IO, "reads a file"),
    "numpy.loadtxt": (_IO, "reads a file"),
    "numpy.genfromtxt": (_IO, "reads a file"),
    "numpy.fromfile": (_IO, "reads a file"),
    "numpy.fromregex": (_IO, "reads a file"),
    "numpy.memmap": (_IO, "maps a file"),
    "json.dump": (_IO, "writes to a file object; use json.dumps"),
    "json.load": (_IO, "reads a file object; use json.loads"),
    "codecs.open": (_IO, "opens a file"),
}

#: ``numpy.random`` members that carry no hidden global state.
NUMPY_RANDOM_ALLOWED = frozenset(
    {
        "Generator",
        "default_rng",
        "SeedSequence",
        "BitGenerator",
        "PCG64",
        "PCG64DXSM",
        "Philox",
        "SFC64",
        "MT19937",
    }
)

#: Constructors that seed themselves from the OS when given no seed (or None):
#: qualified name -> name of the seed keyword.
SEEDABLE: dict[str, str] = {
    "numpy.random.default_rng": "seed",
    "numpy.random.SeedSequence": "entropy",
    "numpy.random.PCG64": "seed",
    "numpy.random.PCG64DXSM": "seed",
    "numpy.random.Philox": "seed",
    "numpy.random.SFC64": "seed",
    "numpy.random.MT19937": "seed",
}

#: Method calls that are impure whatever object they are called on.
METHOD_RULES: dict[str, tuple[str, str]] = {
    "now": (_CLOCK, _CLOCK_WHY),
    "utcnow": (_CLOCK, _CLOCK_WHY),
    "today": (_CLOCK, _CLOCK_WHY),
    "read_text": (_IO, "reads a file"),
    "read_bytes": (_IO, "reads a file"),
    "write_text": (_IO, "writes a file"),
    "write_bytes": (_IO, "writes a file"),
    "tofile": (_IO, "writes a file"),
    "savefig": (_IO, "writes a file"),
    "to_csv": (_IO, "writes a file"),
    "to_excel": (_IO, "writes a file"),
    "to_parquet": (_IO, "writes a file"),
    "to_pickle": (_IO, "writes a pickle file"),
    "to_hdf": (_IO, "writes a file"),
    "to_feather": (_IO, "writes a file"),
    "to_sql": (_IO, "writes to a database"),
    "addHandler": (_LOGGING, _LOGGING_WHY),
    "removeHandler": (_LOGGING, _LOGGING_WHY),
}

#: Libraries whose ``read_*``/``write_*`` functions do file I/O.
_READER_WRITER_LIBRARIES = frozenset({"networkx", "pandas"})

#: Builtin names that are resolved to ``builtins.<name>`` when not imported.
_BUILTINS = frozenset(
    name.removeprefix("builtins.")
    for name in FORBIDDEN_NAMES
    if name.startswith("builtins.")
)

#: The files that load modules lazily: package ``__init__.py`` files (PEP 562)
#: and ``_optional.py``, which imports an optional extra on first use.
_LAZY_LOADER_FILES = frozenset({"__init__.py", "_optional.py"})

#: What a package ``__init__.py`` may use for lazy submodule loading (PEP 562).
_LAZY_LOADER_NAMES = frozenset({"importlib", "importlib.import_module"})


class Violation(NamedTuple):
    """One impure construct found in a source file."""

    filename: str
    line: int
    col: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col}: [{self.rule}] {self.message}"


def _dotted(node: ast.expr) -> str | None:
    """Return ``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _import_aliases(tree: ast.AST) -> dict[str, str]:
    """Map each name bound by an absolute import to the qualified name it means."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _qualify(dotted: str, aliases: dict[str, str]) -> str | None:
    """Resolve the head of ``dotted`` through the imports (or builtins)."""
    head, dot, rest = dotted.partition(".")
    if head in aliases:
        base = aliases[head]
    elif head in _BUILTINS:
        base = f"builtins.{head}"
    else:
        return None  # a local name: a parameter, variable or attribute chain
    return base + dot + rest


def classify(qualified: str, *, lazy_loader: bool = False) -> tuple[str, str] | None:
    """Return ``(rule, why)`` if the qualified name is impure, else None."""
    if lazy_loader and qualified in _LAZY_LOADER_NAMES:
        return None
    parts = qualified.split(".")
    prefixes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    hit = next((FORBIDDEN_NAMES[p] for p in prefixes if p in FORBIDDEN_NAMES), None)
    if hit is None and parts[:2] == ["numpy", "random"] and len(parts) > 2:
        if parts[2] in NUMPY_RANDOM_ALLOWED:
            return None
        hit = (_RANDOM, "numpy's legacy global random state; " + _SEED_WHY)
    if (
        hit is None
        and parts[0] in _READER_WRITER_LIBRARIES
        and parts[-1].startswith(("read_", "write_"))
    ):
        hit = (_IO, "reads or writes a file")
    if hit is None:
        hit = next(
            (FORBIDDEN_MODULES[p] for p in prefixes if p in FORBIDDEN_MODULES), None
        )
    return hit


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_unseeded(call: ast.Call, seed_keyword: str) -> bool:
    """Tell whether a seedable constructor is called with no seed or ``None``."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        return False  # *args / **kwargs: cannot tell statically
    if call.args:
        return _is_none(call.args[0])
    for keyword in call.keywords:
        if keyword.arg == seed_keyword:
            return _is_none(keyword.value)
    return True


def _adds_null_handler(call: ast.Call) -> bool:
    """Tell whether ``x.addHandler(...)`` adds a ``logging.NullHandler``."""
    if len(call.args) != 1 or not isinstance(call.args[0], ast.Call):
        return False
    name = _dotted(call.args[0].func)
    return name is not None and name.rsplit(".", 1)[-1] == "NullHandler"


class _Scan:
    """The state of one file's scan."""

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.tree = tree
        self.filename = filename
        self.aliases = _import_aliases(tree)
        self.lazy_loader = Path(filename).name in _LAZY_LOADER_FILES
        self.found: dict[tuple[int, int, str], Violation] = {}

    def report(
        self, node: ast.expr | ast.stmt | ast.alias, hit: tuple[str, str], what: str
    ) -> None:
        rule, why = hit
        key = (node.lineno, node.col_offset + 1, rule)  # 1-based, like editors
        self.found.setdefault(
            key,
            Violation(self.filename, key[0], key[1], rule, f"{what}: {why}"),
        )

    def classify(self, qualified: str) -> tuple[str, str] | None:
        return classify(qualified, lazy_loader=self.lazy_loader)

    def check_import(self, node: ast.Import) -> None:
        for alias in node.names:
            hit = self.classify(alias.name)
            if hit:
                self.report(alias, hit, f"import {alias.name}")

    def check_import_from(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return  # relative: crisisops' own modules, scanned on their own
        module_hit = self.classify(node.module)
        if module_hit:
            self.report(node, module_hit, f"from {node.module} import ...")
        for alias in node.names:
            hit = self.classify(f"{node.module}.{alias.name}")
            if hit and hit != module_hit:
                self.report(alias, hit, f"from {node.module} import {alias.name}")

    def check_reference(self, node: ast.Name | ast.Attribute) -> None:
        dotted = _dotted(node)
        qualified = None if dotted is None else _qualify(dotted, self.aliases)
        if qualified is None:
            return
        hit = self.classify(qualified)
        if hit:
            shown = dotted if dotted == qualified else f"{dotted} (= {qualified})"
            self.report(node, hit, shown)

    def check_call(self, node: ast.Call) -> None:
        dotted = _dotted(node.func)
        qualified = None if dotted is None else _qualify(dotted, self.aliases)
        if qualified in SEEDABLE and _is_unseeded(node, SEEDABLE[qualified]):
            why = "seeds itself from operating-system entropy; " + _SEED_WHY
            self.report(node, (_RANDOM, why), f"{dotted}() without a seed")
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in METHOD_RULES:
            return
        if qualified is not None and self.classify(qualified):
            return  # reported, with more detail, as a reference
        if func.attr == "addHandler" and _adds_null_handler(node):
            return
        self.report(node, METHOD_RULES[func.attr], f".{func.attr}() call")

    def run(self) -> list[Violation]:
        chain_parts = {
            id(node.value)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Attribute)
        }
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                self.check_import(node)
            elif isinstance(node, ast.ImportFrom):
                self.check_import_from(node)
            elif isinstance(node, ast.Call):
                self.check_call(node)
            if id(node) in chain_parts:
                continue  # only the longest a.b.c chain is judged
            if isinstance(node, ast.Attribute) or (
                isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            ):
                self.check_reference(node)
        return sorted(self.found.values())


def find_impurities(source: str, filename: str) -> list[Violation]:
    """Return every impure construct in ``source``, sorted by position.

    Parameters
    ----------
    source
        Python source code.
    filename
        Shown in each :class:`Violation`; a file named ``__init__.py`` may use
        ``importlib.import_module`` for lazy loading.
    """
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as err:
        return [
            Violation(
                filename, err.lineno or 0, err.offset or 0, "syntax", str(err.msg)
            )
        ]
    return _Scan(tree, filename).run()


def package_files() -> Iterator[Path]:
    """Yield every Python file of the crisisops package, in a stable order."""
    yield from sorted(PACKAGE.rglob("*.py"))


# --------------------------------------------------------------------------
# The guard itself
# --------------------------------------------------------------------------


def test_the_package_is_pure() -> None:
    files = list(package_files())
    assert PACKAGE / "errors.py" in files, "the scan found no package files"
    violations = [
        violation
        for path in files
        for violation in find_impurities(
            path.read_text(encoding="utf-8"), path.relative_to(SRC.parent).as_posix()
        )
    ]
    assert not violations, (
        "impure code under src/crisisops (DESIGN principle 1: no I/O, no clock, "
        "no unseeded randomness):\n" + "\n".join(str(v) for v in violations)
    )


#: The optional extras: only the functions that need them import them.
EXTRAS = ("dask", "distributed", "jsonschema", "matplotlib", "pandas", "tqdm")


def _loaded_after(statement: str, names: tuple[str, ...]) -> dict[str, object]:
    """Run ``statement`` in a fresh interpreter; report which of ``names`` loaded."""
    code = (
        "import json, sys\n"
        f"{statement}\n"
        "import crisisops\n"
        f"names = {names!r}\n"
        "heavy = sorted(m for m in names if m in sys.modules)\n"
        "print(json.dumps({'file': crisisops.__file__, 'heavy': heavy}))\n"
    )
    paths = [str(SRC), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    result = subprocess.run(  # noqa: S603  our own interpreter running literal code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_import_crisisops_does_not_load_heavy_dependencies() -> None:
    report = _loaded_after("", ("cattrs", "networkx", "numpy", *EXTRAS))
    assert Path(str(report["file"])).resolve() == (PACKAGE / "__init__.py").resolve()
    assert report["heavy"] == [], (
        f"`import crisisops` loaded {report['heavy']}; import them lazily"
    )


def test_no_package_loads_an_optional_extra_at_import() -> None:
    packages = sorted(
        path.parent.name
        for path in PACKAGE.glob("*/__init__.py")
        if not path.parent.name.startswith("_")
    ) + sorted(
        path.stem for path in PACKAGE.glob("*.py") if not path.stem.startswith("_")
    )
    statement = "\n".join(f"import crisisops.{name}" for name in packages)
    report = _loaded_after(statement, EXTRAS)
    assert report["heavy"] == [], (
        f"importing every crisisops package loaded {report['heavy']}; "
        "import extras inside the functions that need them"
    )


# --------------------------------------------------------------------------
# Self-tests: the guard can fail ...
# --------------------------------------------------------------------------

BAD_SNIPPETS: list[tuple[str, str]] = [
    # I/O modules and builtins
    ("import os", _IO),
    ("import os.path\nos.path.join('a', 'b')", _IO),
    ("import io", _IO),
    ("import pathlib", _IO),
    ("from pathlib import Path", _IO),
    ("import socket", _IO),
    ("import subprocess", _IO),
    ("import shutil", _IO),
    ("import tempfile", _IO),
    ("import urllib.request", _IO),
    ("from urllib import request", _IO),
    ("import http.client", _IO),
    ("import requests", _IO),
    ("open('report.txt')", _IO),
    ("import builtins\nbuiltins.open('report.txt')", _IO),
    ("def save(path):\n    path.write_text('x')", _IO),
    ("import numpy as np\nnp.save('x.npy', [1])", _IO),
    ("import json\njson.dump({}, fp)", _IO),
    ("import networkx as nx\nnx.write_graphml(g, 'g.xml')", _IO),
    # unsafe serialisation, dynamic code and imports
    ("import pickle", _UNSAFE),
    ("import marshal", _UNSAFE),
    ("import shelve", _UNSAFE),
    ("import importlib", _DYNAMIC_IMPORT),
    ("from importlib import import_module", _DYNAMIC_IMPORT),
    ("__import__('os')", _DYNAMIC_IMPORT),
    ("eval('1 + 1')", _DYNAMIC_CODE),
    ("exec('x = 1')", _DYNAMIC_CODE),
    ("compile('1', '<s>', 'eval')", _DYNAMIC_CODE),
    ("breakpoint()", _DEBUGGER),
    # standard streams
    ("print('hello')", _STDIO),
    ("input()", _STDIO),
    ("import sys\nsys.stdout.write('x')", _STDIO),
    ("import sys\nsys.stderr.flush()", _STDIO),
    ("from sys import stderr", _STDIO),
    ("import sys as system\nsystem.stdin.read()", _STDIO),
    # environment
    ("import os\nos.environ['HOME']", _ENV),
    ("import os\nos.environ.get('HOME')", _ENV),
    ("import os\nos.getenv('HOME')", _ENV),
    ("from os import environ", _ENV),
    ("from os import getenv as ge\nge('HOME')", _ENV),
    ("import sys\nsys.argv[1]", _ENV),
    # clock
    ("import time", _CLOCK),
    ("import time\ntime.time()", _CLOCK),
    ("from time import time as t\nt()", _CLOCK),
    ("from time import monotonic", _CLOCK),
    ("from time import perf_counter\nperf_counter()", _CLOCK),
    ("import datetime\ndatetime.datetime.now()", _CLOCK),
    ("import datetime as dt\ndt.datetime.utcnow()", _CLOCK),
    ("from datetime import datetime\ndatetime.now()", _CLOCK),
    ("from datetime import datetime\ndatetime.now(tz=None)", _CLOCK),
    ("from datetime import datetime\ndatetime.today()", _CLOCK),
    ("from datetime import datetime as DT\nclock = DT.now", _CLOCK),
    ("from datetime import date\ndate.today()", _CLOCK),
    ("import datetime\ndatetime.date.today()", _CLOCK),
    ("def f(moment):\n    return moment.now()", _CLOCK),
    # randomness
    ("import random", _RANDOM),
    ("import random\nrandom.random()", _RANDOM),
    ("from random import choice", _RANDOM),
    ("import secrets", _RANDOM),
    ("import uuid\nuuid.uuid4()", _RANDOM),
    ("from uuid import uuid1", _RANDOM),
    ("import os\nos.urandom(8)", _RANDOM),
    ("import numpy as np\nnp.random.default_rng()", _RANDOM),
    ("import numpy as np\nnp.random.default_rng(None)", _RANDOM),
    ("import numpy as np\nnp.random.default_rng(seed=None)", _RANDOM),
    ("import numpy\nnumpy.random.default_rng()", _RANDOM),
    ("from numpy.random import default_rng\ndefault_rng()", _RANDOM),
    ("from numpy.random import default_rng as make\nmake()", _RANDOM),
    ("import numpy.random as npr\nnpr.default_rng()", _RANDOM),
    ("import numpy as np\nnp.random.SeedSequence()", _RANDOM),
    ("import numpy as np\nnp.random.Generator(np.random.PCG64())", _RANDOM),
    ("import numpy as np\nnp.random.seed(1)", _RANDOM),
    ("import numpy as np\nnp.random.rand(3)", _RANDOM),
    ("import numpy as np\nnp.random.randn(3)", _RANDOM),
    ("import numpy as np\nnp.random.random()", _RANDOM),
    ("import numpy as np\nnp.random.choice([1, 2])", _RANDOM),
    ("import numpy as np\nnp.random.normal()", _RANDOM),
    ("import numpy as np\nnp.random.shuffle(x)", _RANDOM),
    ("import numpy as np\nnp.random.RandomState(1)", _RANDOM),
    ("import numpy as np\ndef f(r: np.random.RandomState) -> None: ...", _RANDOM),
    ("import numpy.random as npr\nnpr.permutation(5)", _RANDOM),
    ("from numpy.random import rand", _RANDOM),
    ("from numpy import random\nrandom.normal()", _RANDOM),
    # logging configuration
    ("import logging.handlers", _LOGGING),
    ("import logging.config", _LOGGING),
    ("from logging import config", _LOGGING),
    ("import logging\nlogging.basicConfig(level=10)", _LOGGING),
    ("from logging import FileHandler", _LOGGING),
    (
        "import logging\nlogging.getLogger('x').addHandler(logging.StreamHandler())",
        _LOGGING,
    ),
    ("def wire(logger, handler):\n    logger.addHandler(handler)", _LOGGING),
]


def _snippet_id(snippet: str) -> str:
    return snippet.replace("\n", "; ")


@pytest.mark.parametrize(
    ("snippet", "rule"), BAD_SNIPPETS, ids=[_snippet_id(s) for s, _ in BAD_SNIPPETS]
)
def test_guard_detects(snippet: str, rule: str) -> None:
    violations = find_impurities(snippet, "src/crisisops/example.py")
    assert rule in {v.rule for v in violations}, violations


def test_violations_name_file_line_and_rule() -> None:
    source = "import warnings\n\n\ndef f():\n    print('x')\n"
    (violation,) = find_impurities(source, "src/crisisops/example.py")
    assert violation.line == 5
    assert str(violation).startswith("src/crisisops/example.py:5:5: [stdio] print")


def test_one_construct_is_reported_once() -> None:
    source = "from datetime import datetime\nstamp = datetime.now()\n"
    violations = find_impurities(source, "m.py")
    assert len(violations) == 1
    assert "datetime.datetime.now" in violations[0].message


def test_unparsable_source_is_reported() -> None:
    (violation,) = find_impurities("def broken(:\n", "m.py")
    assert violation.rule == "syntax"


def test_package_init_may_load_submodules_lazily() -> None:
    lazy = (
        "import importlib\n"
        "def __getattr__(name):\n"
        "    return importlib.import_module('crisisops.taxonomy')\n"
    )
    assert find_impurities(lazy, "src/crisisops/__init__.py") == []
    assert {v.rule for v in find_impurities(lazy, "src/crisisops/taxonomy.py")} == {
        _DYNAMIC_IMPORT
    }
    other = "import importlib\nimportlib.reload(x)\n"
    rules = {v.rule for v in find_impurities(other, "src/crisisops/__init__.py")}
    assert rules == {_DYNAMIC_IMPORT}


# --------------------------------------------------------------------------
# ... and stays quiet on normal library code
# --------------------------------------------------------------------------

GOOD_SNIPPETS: list[str] = [
    "import warnings\nwarnings.warn('threshold is stale', UserWarning, stacklevel=2)",
    "def draw(rng):\n    return rng.normal()",
    "def draw(rng):\n    return rng.random(), rng.choice([1, 2]), rng.integers(0, 9)",
    "def draw(random):\n    return random.normal()",
    (
        "import numpy as np\ndef make(seed: int) -> np.random.Generator:\n"
        "    return np.random.default_rng(seed)"
    ),
    "import numpy as np\nrng = np.random.default_rng(2026)\nrng.standard_normal(3)",
    "import numpy as np\nnp.random.default_rng(seed=7)",
    (
        "import numpy as np\ndef f(rng: np.random.Generator) -> float:\n"
        "    return float(rng.standard_normal())"
    ),
    "import numpy as np\nisinstance(x, np.random.Generator)",
    "from numpy.random import Generator, default_rng\nrng: Generator = default_rng(1)",
    "import numpy as np\nnp.random.Generator(np.random.PCG64(7))",
    "import numpy as np\nnp.random.SeedSequence(12345).spawn(2)",
    "import numpy as np\nnp.random.default_rng(*args)",
    "import numpy as np\nnp.asarray([1.0]).mean()",
    (
        "from datetime import datetime, timezone\n"
        "datetime(2026, 1, 1, tzinfo=timezone.utc)"
    ),
    "from datetime import datetime\ndatetime.fromisoformat('2026-01-01T00:00+00:00')",
    "import datetime as dt\ndt.timedelta(days=1)",
    "def later(moment, delta):\n    return moment + delta",
    "class Clock:\n    def tick(self, now):\n        return now",
    "import re\nre.compile('a+')",
    "import logging\nlogger = logging.getLogger(__name__)\nlogger.debug('x')",
    "import logging\nlogging.getLogger(__name__).addHandler(logging.NullHandler())",
    "import sys\nif sys.version_info >= (3, 11):\n    pass",
    "import uuid\nuuid.uuid5(uuid.NAMESPACE_URL, 'crisisops')",
    "import json\njson.dumps({'a': 1})\njson.loads('{}')",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import numpy as np",
    "from .errors import ValidationError\nfrom . import labels",
    "from crisisops.errors import ValidationError",
    "import math, statistics, itertools, functools, collections, difflib",
    "from dateutil.rrule import rrule, MONTHLY",
    "import networkx as nx\nnx.DiGraph()",
    "import attrs\n@attrs.frozen\nclass A:\n    x: int",
]


@pytest.mark.parametrize("snippet", GOOD_SNIPPETS, ids=_snippet_id)
def test_guard_allows(snippet: str) -> None:
    assert find_impurities(snippet, "src/crisisops/example.py") == []
