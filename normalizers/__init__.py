"""Text, unit-name and deadline normalizers."""
