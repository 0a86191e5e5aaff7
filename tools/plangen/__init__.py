"""Synthetic plans with exact gold (`generate_plan`), their renderings (Markdown, text, Word, text PDF,
degraded scan) and the deadline phrasings with their expected kind and dates (`deadline_phrases`)."""

from tools.plangen.deadlines import DeadlineCase, deadline_cases, deadline_phrases, random_deadline
from tools.plangen.generate import generate_plan
from tools.plangen.model import GOLD_COLUMNS, GoldTask, Plan, write_gold

__all__ = ["GOLD_COLUMNS", "DeadlineCase", "GoldTask", "Plan", "deadline_cases", "deadline_phrases",
           "generate_plan", "random_deadline", "write_gold"]
