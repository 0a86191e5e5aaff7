"""Every subcommand documents itself with an example; the program tells its version."""

import pytest

from pipeline import __version__
from pipeline.cli import build_parser, main


def _subcommands() -> dict:
    return next(a for a in build_parser()._actions if a.dest == "command").choices


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_subcommand_help_ends_with_an_example(command: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    example = out[out.index("example:"):]
    assert f"kehoach {command}" in example


def test_every_parsed_command_has_a_handler():
    commands = _subcommands()
    assert {"ingest", "remove", "status", "restore", "report", "show", "export"} <= set(commands)
    assert all(callable(p.get_default("func")) for p in commands.values())


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"kehoach {__version__}"
