"""The compose nginx sets the headers the app trusts from the request it received, for every path."""

import re
from pathlib import Path

CONF = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()


def _headers(block: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(.+?);", block, re.M))


def test_nginx_sets_the_scheme_itself_and_the_real_host_for_every_location():
    """X-Forwarded-Proto comes from the scheme nginx was reached by (a client's own header would let
    plain HTTP pass as secure), and /static/ gets the real Host like every other path."""
    assert "$http_x_forwarded_proto" not in CONF
    server_level, *locations = re.split(r"^\s*location\s", CONF, flags=re.M)
    assert _headers(server_level) == {
        "Host": "$host",
        "X-Forwarded-For": "$remote_addr",
        "X-Forwarded-Proto": "$scheme",
    }
    # nginx inherits server-level proxy_set_header only into locations that set none of their own.
    assert len(locations) == 2
    for location in locations:
        assert _headers(location) == {}
