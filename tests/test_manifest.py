import ast
import re

from conftest import MODULE


def _manifest():
    return ast.literal_eval((MODULE / "__manifest__.py").read_text())


def test_manifest_contract():
    manifest = _manifest()
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "LGPL-3"
    assert set(manifest["depends"]) == {"crm", "sale", "web_hierarchy"}
    assert manifest["demo"], "demo data is declared under demo"


def test_data_files_exist_in_load_order():
    manifest = _manifest()
    for path in manifest["data"] + manifest["demo"]:
        assert (MODULE / path).is_file(), path
    data = manifest["data"]
    first = {
        kind: min(i for i, p in enumerate(data) if p.startswith(kind)) for kind in ("security/", "views/")
    }
    assert first["security/"] < first["views/"]
    assert data[-1].endswith("_menus.xml"), "menus load last"


def test_every_model_has_access_rules():
    models_dir = MODULE / "models"
    declared = set()
    for path in models_dir.glob("*.py"):
        tree = ast.parse(path.read_text())
        for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
            if any(getattr(base, "attr", None) == "AbstractModel" for base in cls.bases):
                continue  # no table, no access rules (the cockpit only reads other models)
            attrs = {
                target.id: node.value
                for node in cls.body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            if "_name" not in attrs:
                continue
            name = attrs["_name"].value
            parents = ast.literal_eval(attrs["_inherit"]) if "_inherit" in attrs else []
            if name not in ([parents] if isinstance(parents, str) else parents):
                # a class that names the model it inherits extends it (e.g. with a mixin)
                declared.add(name)
    acl = (MODULE / "security" / "ir.model.access.csv").read_text()
    for model in declared:
        assert f"model_{model.replace('.', '_')}," in acl, model


def test_one_model_per_file():
    for path in (MODULE / "models").glob("*.py"):
        tree = ast.parse(path.read_text())
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
        assert len(classes) <= 1, path.name


def test_migrations_lead_to_the_manifest_version():
    """A migration folder above the manifest's version would never run."""
    version = tuple(int(part) for part in _manifest()["version"].split("."))
    folders = [path for path in (MODULE / "migrations").iterdir() if path.is_dir()]
    assert folders
    for folder in folders:
        assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", folder.name), folder.name
        assert tuple(int(part) for part in folder.name.split(".")) <= version, folder.name
        assert [path.name for path in folder.glob("*.py")], folder.name
