"""Merge sales_toolkit.pot into zh_CN.po, keeping existing translations.

    scripts/i18n_sync.py [extra_translations.py]

Regenerate the .pot first (odoo-bin --addons-path=... i18n export -d DB sales_toolkit).
An optional Python file defining a dict ZH (English -> Chinese) fills new terms.
Prints the terms still untranslated and exits 1 when there are any; run
``oca-checks-po --fix`` afterwards for OCA's formatting.
"""

import runpy
import sys
from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "sales_toolkit" / "i18n"


def main():
    extra = runpy.run_path(sys.argv[1])["ZH"] if len(sys.argv) > 1 else {}
    pot = polib.pofile(str(I18N / "sales_toolkit.pot"))
    po_path = I18N / "zh_CN.po"
    known = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.msgstr} if po_path.exists() else {}
    po = polib.POFile(wrapwidth=78)
    po.header = pot.header
    po.metadata = dict(pot.metadata, Language="zh_CN", **{"Plural-Forms": "nplurals=1; plural=0;"})
    missing = []
    for entry in pot:
        msgstr = known.get(entry.msgid) or extra.get(entry.msgid, "")
        if not msgstr:
            missing.append(entry.msgid)
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=msgstr,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=entry.flags,
            )
        )
    po.save(str(po_path))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
