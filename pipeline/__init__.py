"""kehoach: Vietnamese plan documents (kế hoạch) → a task dataset."""

__version__ = "0.1.0"
