"""``python -m ufc_mirror serve|truth``: the local mirror of UFCStats and Sherdog."""

from ufc_mirror.cli import main

raise SystemExit(main())
