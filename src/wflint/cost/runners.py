"""Which runner class a job's ``runs-on`` selects, as a price-table SKU.

GitHub-hosted images (``ubuntu-24.04``, ``windows-latest``, ``macos-15-xlarge``...) map
to their standard or larger SKU; larger runners with custom labels are recognised by
an OS word and a core count in the label (``ubuntu-22.04-16core``,
``windows-latest-8-cores``); ``self-hosted`` anywhere in the labels wins; vendor runners
(``depot-``, ``namespace-``...) are ``third-party`` (billed by the vendor, not priced
here); an expression or an unrecognised label is ``unknown``.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from ..records import record

HOSTED, LARGER, SELF_HOSTED, THIRD_PARTY, UNKNOWN = "hosted", "larger", "self-hosted", "third-party", "unknown"
# Runner services billed by their vendor, not by GitHub.
_THIRD_PARTY = ("depot-", "namespace-", "buildjet-", "blacksmith-", "warp-", "runs-on", "ubicloud-", "cirun-")


@record(frozen=True)
class Runner:
    """What a ``runs-on`` label names: the kind of runner and its price-table SKU."""

    kind: str  # hosted | larger | self-hosted | third-party | unknown
    sku: Optional[str]  # price-table key, None when unknown
    label: str  # what runs-on said, for display

    @property
    def os(self) -> Optional[str]:
        return self.sku.split("-")[0] if self.sku and self.kind != SELF_HOSTED else None


_UBUNTU = re.compile(r"^ubuntu-(latest|\d\d\.\d\d)(-arm)?$")
_WINDOWS = re.compile(r"^windows-(latest|20\d\d|11)(-arm|-vs20\d\d)?$")
_MACOS = re.compile(r"^macos-(latest|\d+)(-intel|-arm64)?(-large|-xlarge)?$")
_CORES = re.compile(r"(\d+)[-_]?(?:cores?|vcpus?|cpus?)\b")
_OS_WORDS = (("windows", "windows"), ("macos", "macos"), ("ubuntu", "linux"), ("linux", "linux"))


def _standard(label: str) -> Optional[Runner]:
    if label == "ubuntu-slim":
        return Runner(HOSTED, "linux-1", label)
    match = _UBUNTU.match(label)
    if match:
        return Runner(HOSTED, "linux-arm-2" if match.group(2) else "linux-2", label)
    match = _WINDOWS.match(label)
    if match:
        arm = match.group(1) == "11" or match.group(2) == "-arm"
        return Runner(HOSTED, "windows-arm-2" if arm else "windows-2", label)
    match = _MACOS.match(label)
    if match:
        size = match.group(3)
        if size == "-large":
            return Runner(LARGER, "macos-12", label)
        if size == "-xlarge":
            return Runner(LARGER, "macos-arm-5", label)
        return Runner(HOSTED, "macos-3", label)
    return None


def _larger(label: str) -> Optional[Runner]:
    cores = _CORES.search(label)
    if not cores:
        return None
    os_name = next((os_name for word, os_name in _OS_WORDS if word in label), None)
    if os_name is None:
        return None
    arm = "arm" in label
    return Runner(LARGER, f"{os_name}{'-arm' if arm else ''}-{int(cores.group(1))}", label)


def classify(labels: Sequence[str]) -> Runner:
    """The runner class for the labels of one ``runs-on`` (already matrix-substituted)."""
    shown = ", ".join(labels) if labels else "(none)"
    lowered = [str(label).strip().lower() for label in labels]
    if not lowered:
        return Runner(UNKNOWN, None, shown)
    if "self-hosted" in lowered:
        return Runner(SELF_HOSTED, "self-hosted", shown)
    if any("${{" in label for label in lowered):
        return Runner(UNKNOWN, None, shown)
    if any(label.startswith(_THIRD_PARTY) for label in lowered):
        return Runner(THIRD_PARTY, None, shown)
    for label in lowered:
        found = _standard(label) or _larger(label)
        if found is not None:
            return Runner(found.kind, found.sku, shown)
    return Runner(UNKNOWN, None, shown)
