"""Exceptions that the command line turns into clean messages."""

from __future__ import annotations


class DprkhrError(Exception):
    """Base of every error that dprkhr reports to a user without a traceback."""

    exit_code = 1


class UsageError(DprkhrError):
    """The user asked for something that cannot be answered as asked (exit 2)."""

    exit_code = 2


class DataRootError(UsageError):
    """No data folder could be found or the one given is not a dataset."""
