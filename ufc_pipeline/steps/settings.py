"""Everything a step needs to know: sites, data directory, warehouse URL, thresholds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ufc_pipeline.fileio import sweep_stale_temp_files
from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.search import MatchSettings
from ufc_pipeline.processed import ProcessedStore
from ufc_pipeline.sources.config import SiteConfig, WikimediaConfig
from ufc_pipeline.sources.raw_store import RawStore

#: Image sources in the order the waterfall tries them (``UFC_IMAGE_SOURCES``).
IMAGE_SOURCES = ("wikimedia", "sherdog", "ufccom")
DEFAULT_PLACEHOLDER_PATHS = (
    "/image_crop/200/300/_images/fighter_large_default.jpg",
    "/image_crop/100/100/_images/fighter_small_default.jpg",
)


@dataclass
class Settings:
    ufcstats: SiteConfig
    sherdog: SiteConfig
    data_dir: Path = Path("data")
    database_url: str = ""
    match: MatchSettings = field(default_factory=MatchSettings)
    assign: AssignSettings = field(default_factory=AssignSettings)
    sherdog_max_pages: int = 10
    full_refresh: bool = False  # ignore change detection: every fighter is re-processed
    today: dt.date | None = None  # "now" for event re-check windows (None: the real date)
    placeholder_paths: tuple[str, ...] = DEFAULT_PLACEHOLDER_PATHS
    max_error_fraction: float = 0.05
    fighter_tasks: int = 16  # fighters matched concurrently (HTTP is bounded separately)
    ufccom: SiteConfig | None = None  # None: UFC.com is not read (UFCCOM_ENABLED off)
    wikimedia: WikimediaConfig | None = None  # None: Wikidata/Commons are not read
    image_sources: tuple[str, ...] = IMAGE_SOURCES
    face_check: bool = True  # a saved image must show exactly one face

    def sweep_temp_files(self) -> int:
        """Remove temporary files left by a killed run (their writer is gone)."""
        return len(sweep_stale_temp_files(self.data_dir))

    @property
    def current_date(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def raw(self) -> RawStore:
        return RawStore.shared(self.data_dir / "raw")

    @property
    def processed(self) -> ProcessedStore:
        return ProcessedStore(self.data_dir)

    @property
    def overrides_path(self) -> Path:
        return self.data_dir / "manual" / "sherdog_overrides.csv"

    @property
    def ufccom_slugs_path(self) -> Path:
        """Manual UFC.com slugs (``ufcstats_id,slug``; an empty slug: not on UFC.com)."""
        return self.data_dir / "manual" / "ufccom_slugs.csv"

    @property
    def review_dir(self) -> Path:
        return self.data_dir / "review"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images" / "fighters"

    @property
    def warehouse_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'warehouse.sqlite').resolve()}"
