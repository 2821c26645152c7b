"""The layout shows the domains, and the floors hold: a package imports only
from the floors below it (or from itself), so there is no import cycle and the
ground floor (``mttq.core``) imports nothing else of ours."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "core": 0,
    "calendar": 1, "registry": 1, "deploy": 1,
    "content": 2, "photos": 2,
    "outputs": 3, "reports": 3,
    "settings": 4, "intake": 4,
    "commands": 5,
    "mttq_site": 6,  # the Pelican plugin: adapters over all of the above
}


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "mttq_site":
        return "mttq_site"
    if parts[0] == "mttq" and len(parts) > 1:
        return parts[1]
    return None


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules():
    for path in sorted((ROOT / "mttq").rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        yield ".".join(relative.parts), path
    for path in sorted((ROOT / "plugins" / "mttq_site").rglob("*.py")):
        relative = path.relative_to(ROOT / "plugins").with_suffix("")
        yield ".".join(relative.parts), path


def test_every_module_belongs_to_a_known_domain_package():
    unknown = {name for name, _ in modules() if name != "mttq.__init__"
               and package_of(name.removesuffix(".__init__")) not in FLOORS}
    assert unknown == set()


def test_no_import_goes_up_a_floor_or_sideways_to_another_package():
    wrong = []
    for name, path in modules():
        here = package_of(name)
        if here is None:
            continue
        for target in imports(path):
            there = package_of(target)
            if there is None or there == here or there not in FLOORS:
                continue
            if FLOORS[there] >= FLOORS[here]:
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_no_sys_path_manipulation_in_the_product():
    product = [*ROOT.glob("mttq/**/*.py"), *ROOT.glob("plugins/**/*.py"), ROOT / "tasks.py",
               ROOT / "pelicanconf.py", ROOT / "publishconf.py"]
    offenders = [str(p.relative_to(ROOT)) for p in product
                 if "sys.path.insert" in p.read_text(encoding="utf-8")
                 or "sys.path.append" in p.read_text(encoding="utf-8")]
    assert offenders == []
