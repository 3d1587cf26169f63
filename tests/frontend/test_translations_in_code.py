"""Every text the Python code marks for translation has its English translation.

xgettext (makemessages) misses a gettext call nested in an f-string, so such a text
falls out of the catalogue as obsolete and shows in Dutch on an English page without a
word. This reads the marked texts with Python's own parser, f-strings included, and
looks each up in the compiled English catalogue."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

SKIPPED = {".venv", "node_modules", "tests", "migrations", "locale"}
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
CONTEXTUAL = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy"}


def repository() -> Path:
    return Path(settings.LOCALE_PATHS[0]).parents[1]


def python_files() -> list[Path]:
    root = repository()
    return [path for path in root.rglob("*.py") if not SKIPPED & set(path.relative_to(root).parts)]


def text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_texts(path: Path) -> list[tuple[int, object]]:
    """(line, catalogue key) of every call that marks a fixed text for translation."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name, args = node.func.id, node.args
        if name in SINGULAR and args and text(args[0]) is not None:
            found.append((node.lineno, text(args[0])))
        elif name in CONTEXTUAL and len(args) > 1 and None not in (text(args[0]), text(args[1])):
            found.append((node.lineno, f"{text(args[0])}\x04{text(args[1])}"))
        elif name in PLURAL and args and text(args[0]) is not None:
            found.append((node.lineno, (text(args[0]), 0)))
    return found


def test_every_text_marked_in_python_has_an_english_translation():
    catalogue_file = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"
    with catalogue_file.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    missing = [
        f"{path.relative_to(repository())}:{line} {key!r}"
        for path in python_files()
        for line, key in marked_texts(path)
        if key and not catalogue.get(key)
    ]
    assert not missing, "not in the English catalogue:\n" + "\n".join(missing)
