"""Reading a status list where its issuer publishes it, for `verify` (no HTTP here).

An export carries its issuers' status lists as of the export; a credential revoked since
shows only in the list served now at its `statusListCredential` URL. `verify_export` takes
a `StatusFetcher`: a function from that URL to the body served there (the VC-JWT text).
The command line passes one over httpx with a short timeout; tests pass one over the
server's in-process TestClient. The fetcher raises:

- `StatusUnreachable` when the URL cannot be reached (no route, timeout, an HTTP error
  status): the embedded list is used instead, and the record says so;
- `StatusResponseError` when something answered that cannot be a status list (larger than
  `MAX_RESPONSE_BYTES`, not text): the record fails, as a list that does not verify does.

What the fetcher returns is verified as the embedded lists are (signed by a key the
credential's issuer published, issued by that issuer, its id the URL, a revocation list).
"""

from __future__ import annotations

from collections.abc import Callable

from trackrecord.ledger import statuslist

# A GZIP'd, base64url'd list of statuslist.MAX_BYTES random bits, signed, fits in this.
MAX_RESPONSE_BYTES = 2 * statuslist.MAX_BYTES
TIMEOUT_S = 5.0  # a reviewer waits this long per list before falling back to the export's


class StatusFetchError(Exception):
    """Fetching a status list failed (the message says why, for the record's line)."""


class StatusUnreachable(StatusFetchError):
    """The URL could not be reached: verify falls back to the list in the export."""


class StatusResponseError(StatusFetchError):
    """The URL answered with something that is not a status list: the record fails."""


StatusFetcher = Callable[[str], str]
"""URL -> the body served there (text); raises StatusUnreachable or StatusResponseError."""
