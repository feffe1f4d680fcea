"""One exception tree; every message is a single sentence a user can act on.

NewscovError
├── UsageError        bad flags or arguments (exit status 2)
├── SourcesError      the outlet registry cannot be read (exit status 2)
├── NetworkError      no host could be reached at all: the machine is offline
├── FetchError        one URL could not be fetched (becomes a per-article Failure)
└── ExtractError      one page has no readable article (becomes a per-article Failure)
"""

from __future__ import annotations


class NewscovError(Exception):
    """Base class of every error newscov raises on purpose."""


class UsageError(NewscovError):
    """The command line or a value given to the API is wrong."""


class SourcesError(NewscovError):
    """The registry file is missing or invalid; the message names file:line and the field."""


class FetchError(NewscovError):
    """A URL or file could not be read."""


class ExtractError(NewscovError):
    """A page was read but holds no article text."""


class NetworkError(NewscovError):
    """Nothing could be searched or read because no host name resolved (the machine is offline)."""
