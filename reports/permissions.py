"""Who sees the statistics; who imports (SPEC §12, §13)."""

VIEW_STATISTICS = "reports.view_statistics"
