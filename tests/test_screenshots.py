"""The screenshots shown by README.md, the Apps store page and the readme fragments exist, and
every screenshot is shown: a renamed or dropped screen fails here instead of leaving a
broken or stale image behind."""

import ast
import re
from html.parser import HTMLParser

import pytest
from conftest import MODULE, REPO

DESCRIPTION = MODULE / "static" / "description"
SCREENSHOTS = DESCRIPTION / "screenshots"
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
RST_IMAGE = re.compile(r"^\s*\.\. (?:\|[^|]+\| )?(?:image|figure)::\s*(\S+)\s*$", re.MULTILINE)


class _ImageSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def _html_images(path):
    parser = _ImageSources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.sources


def _declared_screens():
    """The screen names of scripts/screenshots.py, read without running it."""
    tree = ast.parse((REPO / "scripts" / "screenshots.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SCREENS" for t in node.targets):
            names = []
            for element in node.value.elts:
                screen = {key.value: value for key, value in zip(element.keys, element.values, strict=True)}
                names.append(ast.literal_eval(screen["name"]))
            return names
    raise AssertionError("scripts/screenshots.py declares no SCREENS")


def _screenshot_files():
    return {p.name for p in SCREENSHOTS.glob("*.png")}


def test_screenshots_are_committed():
    files = _screenshot_files()
    assert files, "no screenshot in sales_toolkit/static/description/screenshots"
    assert files == {f"{name}.png" for name in _declared_screens()}, (
        "the screenshots on disk are exactly the screens of scripts/screenshots.py"
    )


def test_screenshots_are_small():
    total = sum(p.stat().st_size for p in SCREENSHOTS.glob("*.png"))
    assert total < 3 * 1024 * 1024, f"screenshots weigh {total} bytes"
    for path in SCREENSHOTS.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path.name
        assert path.stat().st_size < 400 * 1024, path.name


@pytest.mark.parametrize(
    "document, base, sources",
    [
        ("README.md", REPO, lambda p: MARKDOWN_IMAGE.findall(p.read_text(encoding="utf-8"))),
        ("index.html", DESCRIPTION, _html_images),
    ],
    ids=["README.md", "index.html"],
)
def test_every_screenshot_is_shown_and_every_image_exists(document, base, sources):
    path = REPO / document if document == "README.md" else DESCRIPTION / document
    images = [s for s in sources(path) if not s.startswith(("http:", "https:", "data:"))]
    assert images, f"{document} shows no image"
    shown = set()
    for source in images:
        target = (base / source).resolve()
        assert target.is_file(), f"{document} shows {source}, which does not exist"
        if target.parent == SCREENSHOTS.resolve():
            shown.add(target.name)
    assert not _screenshot_files() - shown, (
        f"{document} does not show {sorted(_screenshot_files() - shown)}: drop the file or show it"
    )


def test_readme_fragments_and_rst_images_exist():
    for fragment in (MODULE / "readme").glob("*.md"):
        for source in MARKDOWN_IMAGE.findall(fragment.read_text(encoding="utf-8")):
            assert (fragment.parent / source).resolve().is_file(), f"{fragment.name}: {source}"
    rst = (MODULE / "README.rst").read_text(encoding="utf-8")
    for source in RST_IMAGE.findall(rst):
        if "/static/description/" in source:
            local = MODULE / "static" / "description" / source.split("/static/description/", 1)[1]
            assert local.is_file(), f"README.rst: {source}"


def test_readme_fragments_have_no_title():
    """OCA fragments are plain Markdown: oca-gen-addon-readme adds the section titles."""
    for name in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md"):
        text = (MODULE / "readme" / name).read_text(encoding="utf-8")
        assert text.strip(), name
        assert not re.search(r"^#\s", text, re.MULTILINE), f"{name} has a top-level title"
