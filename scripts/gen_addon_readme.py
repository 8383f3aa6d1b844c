#!/usr/bin/env python3
"""Write an addon's README.rst from its readme/ fragments and manifest, as OCA's
oca-gen-addon-readme (maintainer-tools) does: that tool is not on PyPI, this is its layout
(title, source digest, badges, DESCRIPTION, table of contents, the fragment sections, Bug
Tracker, Credits with Authors, Contributors, Other credits and Maintainers).

Markdown fragments (*.md) are converted to reStructuredText with pandoc (pypandoc-binary);
*.rst fragments are taken as they are. Relative image paths become raw GitHub URLs.

    scripts/gen_addon_readme.py --addons-dir=. --org-name=sales-toolkit --repo-name=sales_toolkit
    scripts/gen_addon_readme.py ... --check     # exit 1 when a README.rst is not up to date
"""

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

FRAGMENTS_DIR = "readme"
# the sections after the table of contents, in OCA's order, with their titles
SECTIONS = (
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDIT_SECTIONS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))
FRAGMENTS = ("DESCRIPTION",) + tuple(name for name, _title in SECTIONS + CREDIT_SECTIONS)

STATUS_PAGE = "https://odoo-community.org/page/development-status"
DEVELOPMENT_STATUS_BADGES = {
    "mature": ("https://img.shields.io/badge/maturity-Mature-brightgreen.png", STATUS_PAGE, "Mature"),
    "production/stable": (
        "https://img.shields.io/badge/maturity-Production%2FStable-green.png",
        STATUS_PAGE,
        "Production/Stable",
    ),
    "beta": ("https://img.shields.io/badge/maturity-Beta-yellow.png", STATUS_PAGE, "Beta"),
    "alpha": ("https://img.shields.io/badge/maturity-Alpha-red.png", STATUS_PAGE, "Alpha"),
}
LICENSE_BADGES = {
    name: (
        f"https://img.shields.io/badge/license-{name.replace('-', '--')}-blue.png",
        f"http://www.gnu.org/licenses/{name.lower()}.0-standalone.html",
        f"License: {name}",
    )
    for name in ("AGPL-3", "LGPL-3", "GPL-3")
}
ALPHA_WARNING = """.. IMPORTANT::
   This is an alpha version, the data model and design can change at any time without warning.
   Only for development or testing purpose, do not use in production.
   `More details on development status <https://odoo-community.org/page/development-status>`_
"""
DIGEST_RE = re.compile(r"^\s*!! source digest: (?P<digest>\S+)", re.MULTILINE)
IMAGE_RE = re.compile(r"^(?P<lead>.*\.\. (?:figure|image)::\s+)(?P<path>.*?)\s*$")


def source_digest(addon_dir):
    """sha256 of the manifest and the fragments (their paths and contents), as OCA's tool writes it."""
    digest = hashlib.sha256()
    paths = [addon_dir / "__manifest__.py"]
    paths += sorted(p for p in (addon_dir / FRAGMENTS_DIR).rglob("*") if p.is_file())
    for path in paths:
        digest.update(path.relative_to(addon_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def _to_rst(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        import pypandoc  # noqa: PLC0415 (pypandoc-binary: only needed for Markdown fragments)

        # gfm: no typographic quotes, as the fragments are written
        text = pypandoc.convert_text(text, "rst", format="gfm-gfm_auto_identifiers")
    return text


def read_fragment(addon_dir, name, module_url):
    for suffix in (".md", ".rst"):
        path = addon_dir / FRAGMENTS_DIR / (name + suffix)
        if path.is_file():
            break
    else:
        return None
    lines = _to_rst(path).splitlines()
    if not any(line.strip() for line in lines):
        return None
    for index, line in enumerate(lines):
        match = IMAGE_RE.match(line)
        if match and not match["path"].startswith("http"):
            # fragments show images relative to readme/ ("../static/..."); the README.rst is read on GitHub
            lines[index] = match["lead"] + urljoin(module_url, match["path"].replace("../", ""))
    return "\n".join(lines).rstrip("\n") + "\n"


def _badges(manifest, org_name, repo_name, branch, addon_name):
    badges = []
    status = manifest.get("development_status", "Beta").lower()
    if status in DEVELOPMENT_STATUS_BADGES:
        badges.append(DEVELOPMENT_STATUS_BADGES[status])
    if manifest.get("license") in LICENSE_BADGES:
        badges.append(LICENSE_BADGES[manifest["license"]])
    # shields.io reads "-" as a separator: a dash in a name is written "--"
    slug = f"{org_name}%2F{repo_name}".replace("-", "--")
    badges.append(
        (
            f"https://img.shields.io/badge/github-{slug}-lightgray.png?logo=github",
            f"https://github.com/{org_name}/{repo_name}/tree/{branch}/{addon_name}",
            f"{org_name}/{repo_name}",
        )
    )
    return badges


def _title(text, char, overline=False):
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if overline else f"{text}\n{line}\n"


def render(addon_dir, org_name, repo_name, branch):
    addon_dir = Path(addon_dir)
    addon_name = addon_dir.resolve().name
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))
    module_url = f"https://raw.githubusercontent.com/{org_name}/{repo_name}/{branch}/{addon_name}/"
    fragments = {name: read_fragment(addon_dir, name, module_url) for name in FRAGMENTS}
    badges = _badges(manifest, org_name, repo_name, branch, addon_name)
    repo_url = f"https://github.com/{org_name}/{repo_name}"
    feedback = (
        f"{repo_url}/issues/new?body=module:%20{addon_name}%0Aversion:%20{branch}%0A%0A"
        "**Steps%20to%20reproduce**%0A-%20...%0A%0A**Current%20behavior**%0A%0A**Expected%20behavior**"
    )
    bang = "!" * 52
    out = [
        _title(manifest["name"], "=", overline=True),
        "\n.. \n",
        f"   {bang}\n",
        "   !! This file is generated by oca-gen-addon-readme !!\n",
        "   !! changes will be overwritten.                   !!\n",
        f"   {bang}\n",
        f"   !! source digest: {source_digest(addon_dir)}\n",
        f"   {bang}\n\n",
    ]
    for index, (image, target, alt) in enumerate(badges, 1):
        out.append(f".. |badge{index}| image:: {image}\n    :target: {target}\n    :alt: {alt}\n")
    out.append("\n" + " ".join(f"|badge{index}|" for index in range(1, len(badges) + 1)) + "\n\n")
    out.append(fragments["DESCRIPTION"] or "")
    if manifest.get("development_status", "Beta").lower() == "alpha":
        out.append("\n" + ALPHA_WARNING)
    out.append("\n**Table of contents**\n\n.. contents::\n   :local:\n\n")
    for name, title in SECTIONS:
        if fragments[name]:
            out.append(_title(title, "=") + "\n" + fragments[name] + "\n")
    out.append(
        _title("Bug Tracker", "=") + f"\nBugs are tracked on `GitHub Issues <{repo_url}/issues>`_.\n"
        "In case of trouble, please check there if your issue has already been reported.\n"
        "If you spotted it first, help us to smash it by providing a detailed and welcomed\n"
        f"`feedback <{feedback}>`_.\n\n"
        "Do not contact contributors directly about support or help with technical issues.\n\n"
    )
    out.append(_title("Credits", "=") + "\n")
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip() and "(OCA)" not in a]
    if authors:
        out.append(_title("Authors", "-") + "\n" + "".join(f"* {author}\n" for author in authors) + "\n")
    for name, title in CREDIT_SECTIONS:
        if fragments[name]:
            out.append(_title(title, "-") + "\n" + fragments[name] + "\n")
    out.append(_title("Maintainers", "-"))
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        out.append("\n")
        for login in maintainers:
            out.append(
                f".. |maintainer-{login}| image:: https://github.com/{login}.png?size=40px\n"
                f"    :target: https://github.com/{login}\n    :alt: {login}\n"
            )
        plural = "s" if len(maintainers) > 1 else ""
        out.append(f"\nCurrent maintainer{plural}:\n\n")
        out.append("".join(f"|maintainer-{login}| " for login in maintainers) + "\n")
    out.append(
        f"\nThis module is part of the `{org_name}/{repo_name} <{repo_url}/tree/{branch}/{addon_name}>`_"
        " project on GitHub.\n\nYou are welcome to contribute.\n"
    )
    return "".join(out)


def find_addons(addons_dir):
    for manifest in sorted(Path(addons_dir).glob("*/__manifest__.py")):
        addon_dir = manifest.parent
        installable = ast.literal_eval(manifest.read_text(encoding="utf-8")).get("installable", True)
        if installable and any((addon_dir / FRAGMENTS_DIR).glob("DESCRIPTION.*")):
            yield addon_dir


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org-name", default="sales-toolkit")
    parser.add_argument("--repo-name", default="sales_toolkit")
    parser.add_argument("--branch", default="main", help="the repository branch the links point to")
    parser.add_argument("--addon-dir", dest="addon_dirs", action="append", default=[], type=Path)
    parser.add_argument("--addons-dir", type=Path)
    parser.add_argument(
        "--if-source-changed", action="store_true", help="leave a README.rst whose source digest is current"
    )
    parser.add_argument("--keep-source-digest", action="store_true", help="accepted for OCA compatibility")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a README.rst is stale")
    args = parser.parse_args(argv)
    addon_dirs = list(args.addon_dirs)
    if args.addons_dir:
        addon_dirs += find_addons(args.addons_dir)
    stale = []
    for addon_dir in addon_dirs:
        readme = addon_dir / "README.rst"
        current = readme.read_text(encoding="utf-8") if readme.is_file() else ""
        if args.if_source_changed and not args.check:
            found = DIGEST_RE.search(current)
            if found and found["digest"] == source_digest(addon_dir):
                continue
        text = render(addon_dir, args.org_name, args.repo_name, args.branch)
        if text == current:
            continue
        stale.append(str(readme))
        if not args.check:
            readme.write_text(text, encoding="utf-8")
    if stale:
        verb = "is not up to date (run scripts/gen_addon_readme.py)" if args.check else "written"
        print("\n".join(f"{path} {verb}" for path in stale), file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
