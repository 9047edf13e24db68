"""The mirror over real HTTP: routes, statuses, images, robots.txt, keep-alive, counters."""

from __future__ import annotations

import http.client
import io
import time
import urllib.robotparser
from urllib.parse import urlsplit

import httpx
import imagehash
import pytest
from PIL import Image

from ufc_mirror import images
from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle
from ufc_mirror.sherdog_chrome import fighter_path, profile_src, thumb_src


def _decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_urls_and_binding(mirror: MirrorHandle) -> None:
    for url in (mirror.ufcstats_url, mirror.sherdog_url):
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port
    assert mirror.ufcstats_url != mirror.sherdog_url


def test_ufcstats_routes(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    base = mirror.ufcstats_url
    r = http.get(base + "/statistics/fighters", params={"char": "a", "page": "all"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert int(r.headers["content-length"]) == len(r.content)
    f = small_world.listed[0]
    r = http.get(f"{base}/fighter-details/{f.id}")
    assert r.status_code == 200 and f.name in r.text
    assert http.get(f"{base}/fighter-details/0123456789abcdef").status_code == 404
    assert http.get(f"{base}/no/such/page").status_code == 404
    assert http.get(base + "/").status_code == 200


def test_sherdog_routes(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    base = mirror.sherdog_url
    p = small_world.listed[1].person
    r = http.get(base + fighter_path(p))
    assert r.status_code == 200 and "FIGHT HISTORY - PRO" in r.text
    wrong = http.get(f"{base}/fighter/Somebody-Else-{p.sherdog_id}")
    assert wrong.status_code == 200 and wrong.text == r.text
    missing = http.get(f"{base}/fighter/Nobody-Here-999999999")
    assert missing.status_code == 200
    assert "<title>Page Not Found</title>" in missing.text
    assert "fight_history" not in missing.text


def _kind_person(world: World, kind: str):  # noqa: ANN202
    return next(f.person for f in world.listed if f.person.image == kind)


def test_images(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    base = mirror.sherdog_url
    default_large = http.get(base + images.DEFAULT_LARGE_PATH)
    assert default_large.headers["content-type"] == "image/jpeg"
    ph = imagehash.phash(_decode(default_large.content))
    assert _decode(http.get(base + images.DEFAULT_SMALL_PATH).content).size == (100, 100)

    ok = _kind_person(small_world, "ok")
    big = http.get(base + profile_src(ok))
    assert big.status_code == 200 and big.headers["content-type"] == "image/jpeg"
    assert _decode(big.content).size == (200, 300)
    assert _decode(http.get(base + thumb_src(ok)).content).size == (100, 100)
    hashes = []
    for f in small_world.listed:
        if f.person.image == "ok" and len(hashes) < 40:
            hashes.append(imagehash.phash(_decode(http.get(base + profile_src(f.person)).content)))
    assert min(h - ph for h in hashes) > 12  # no photo looks like the placeholder
    pairs = [hashes[i] - hashes[j] for i in range(len(hashes)) for j in range(i)]
    assert min(pairs) > 6  # photos differ from each other

    default = _kind_person(small_world, "placeholder_default")
    assert profile_src(default) == images.DEFAULT_LARGE_PATH
    copy = _kind_person(small_world, "placeholder_reencoded")
    assert profile_src(copy) != images.DEFAULT_LARGE_PATH
    r = http.get(base + profile_src(copy))
    assert r.content != default_large.content
    assert imagehash.phash(_decode(r.content)) - ph <= 4

    html_jpg = http.get(base + profile_src(_kind_person(small_world, "broken_html")))
    assert html_jpg.status_code == 200 and html_jpg.headers["content-type"] == "image/jpeg"
    assert html_jpg.content.lstrip().startswith(b"<html")
    truncated = http.get(base + profile_src(_kind_person(small_world, "broken_truncated")))
    assert truncated.status_code == 200 and truncated.content[:2] == b"\xff\xd8"
    with pytest.raises(OSError):
        _decode(truncated.content)
    with pytest.raises(OSError):
        _decode(html_jpg.content)
    gone = http.get(base + profile_src(_kind_person(small_world, "broken_404")))
    assert gone.status_code == 404


def test_robots(mirror: MirrorHandle, http: httpx.Client) -> None:
    for base, ai_allowed in ((mirror.ufcstats_url, True), (mirror.sherdog_url, False)):
        r = http.get(base + "/robots.txt")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(r.text.splitlines())
        assert rp.can_fetch("ufc-pipeline/1.0", base + "/fighter/Tom-Aspinall-65231")
        assert rp.can_fetch("GPTBot", base + "/stats/fightfinder") == ai_allowed
        assert rp.can_fetch("ClaudeBot", base + "/") == ai_allowed
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(http.get(mirror.sherdog_url + "/robots.txt").text.splitlines())
    assert not rp.can_fetch("ufc-pipeline/1.0", mirror.sherdog_url + "/forums/search")


def test_keep_alive(mirror: MirrorHandle, small_world: World) -> None:
    parts = urlsplit(mirror.sherdog_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    paths = [fighter_path(f.person) for f in small_world.listed[:5]] + ["/robots.txt"]
    conn.connect()
    sock = conn.sock
    for path in paths:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and resp.version == 11
        assert int(resp.getheader("Content-Length")) == len(body)
        assert (resp.getheader("Connection") or "").lower() != "close"
        assert conn.sock is sock  # same socket for every request
    conn.request("HEAD", paths[0])
    head = conn.getresponse()
    assert head.read() == b"" and int(head.getheader("Content-Length")) > 0
    conn.close()


def test_counters(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    before = mirror.stats()
    http.get(mirror.ufcstats_url + "/statistics/fighters?char=b&page=all")
    http.get(mirror.sherdog_url + "/stats/fightfinder?SearchTxt=smith")
    after = mirror.stats()
    assert after["ufcstats_list"] == before.get("ufcstats_list", 0) + 1
    assert after["sherdog_search"] == before.get("sherdog_search", 0) + 1
    for base in (mirror.ufcstats_url, mirror.sherdog_url):
        data = http.get(base + "/__mirror/stats").json()
        assert data["ufcstats_list"] >= 1 and data["sherdog_search"] >= 1


def test_throughput(mirror: MirrorHandle, small_world: World) -> None:
    paths = [fighter_path(f.person) for f in small_world.listed[:50]]
    with httpx.Client(base_url=mirror.sherdog_url) as client:
        for p in paths:  # warm the page cache
            client.get(p)
        t0 = time.perf_counter()
        n = 0
        while n < 400:
            assert client.get(paths[n % len(paths)]).status_code == 200
            n += 1
        rate = n / (time.perf_counter() - t0)
    assert rate > 150, f"{rate:.0f} requests/s"
