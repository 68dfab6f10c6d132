"""The tables newsprep writes: Arrow schemas, the single source of truth for every column."""
