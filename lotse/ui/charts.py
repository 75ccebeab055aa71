"""Charts with a table alternative: a view builds a :class:`Chart`; the template
``ui/partials/chart.html`` draws it with Chart.js (``lotse/charts.js`` loads the library only on
pages that have a chart) and always renders the same numbers as a table, so screen-reader users
and people without JavaScript get every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Series:
    label: str
    values: list[int | float | None]


@dataclass
class Chart:
    id: str
    kind: Literal["bar", "line"]
    title: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = ""
    # horizontal bars read better for long category names (agencies, case managers)
    horizontal: bool = False

    def data(self) -> dict[str, Any]:
        """What ``charts.js`` reads (through ``json_script``)."""
        return {
            "kind": self.kind,
            "horizontal": self.horizontal,
            "labels": self.labels,
            "series": [{"label": s.label, "values": s.values} for s in self.series],
        }

    def rows(self) -> list[tuple[str, list[int | float | None]]]:
        """Table rows: one per label, one value per series."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(not any(v for v in s.values if v) for s in self.series)
