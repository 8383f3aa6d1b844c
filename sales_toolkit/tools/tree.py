"""Trees of records in the order of a tracking sheet (pure Python, no Odoo)."""

from collections import defaultdict


def depth_first_rows(root, descendants):
    """[(depth, record)]: ``root``, then its ``descendants`` depth first, siblings by sequence.

    ``descendants`` are the records below ``root``, each with ``parent_id``,
    ``sequence`` and ``id``.
    """
    children = defaultdict(list)
    for record in descendants:
        children[record.parent_id.id].append(record)
    for siblings in children.values():
        siblings.sort(key=lambda record: (record.sequence, record.id))
    rows, stack = [], [(0, root)]
    while stack:
        depth, record = stack.pop()
        rows.append((depth, record))
        stack.extend((depth + 1, child) for child in reversed(children[record.id]))
    return rows
