"""One canonical form of an article URL, used for the registry's article patterns, for dedupe and for cache keys.

`canonical_url("HTTPS://Money.UDN.com:443/money/amp/story/5612/8123?utm_source=x&from=rss#top")` is
`https://money.udn.com/money/story/5612/8123`: scheme and host in lower case, default port, trailing dot and
fragment dropped, tracking parameters dropped, the remaining parameters sorted, an AMP variant mapped to the
article it mirrors. Parameters that pick the article (`?NewsID=…`, `?id=…`) are kept.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# query parameters that only say where a reader came from, never which article it is
TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
        "ocid", "cmpid", "cmp", "ref", "ref_src", "referrer", "src", "from", "feature", "share", "shared",
        "smid", "smtyp", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "mode", "outputtype", "amp", "output", "rss", "via", "s_cid", "spm", "scm", "traffic_source",
        "partner", "taid", "ito", "fromapp", "fr", "__twitter_impression", "maca",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci", "itm_", "sr_")
# parameters that name an article on some outlets although they look like tracking: never dropped
KEEP = frozenset({"id", "newsid", "nid", "aid", "articleid", "no", "sn", "p", "story", "storyid", "contentid"})
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"(?:\.amp|/amp\.html?)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    key = name.lower()
    return key not in KEEP and (key in TRACKING or key.startswith(TRACKING_PREFIXES))


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL; anything else (file paths, odd schemes) is returned unchanged."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # an invalid port or IPv6 literal: leave it for the fetcher to refuse
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.rstrip(".").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = _AMP_SUFFIX.sub("", _AMP_SEGMENT.sub("", parts.path)) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def same_article(a: str, b: str) -> bool:
    return canonical_url(a) == canonical_url(b)
