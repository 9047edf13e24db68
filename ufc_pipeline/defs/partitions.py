"""Partitions: one per letter a-z, as UFCStats pages its fighters list (by last name)."""

from __future__ import annotations

import string

import dagster as dg

LETTERS = list(string.ascii_lowercase)
letters_partitions = dg.StaticPartitionsDefinition(LETTERS)
single_run = dg.BackfillPolicy.single_run()

# Run tags that make one run of a range of partitions (with BackfillPolicy.single_run()).
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
