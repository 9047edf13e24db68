"""Bodies of the injected answers: error pages, Cloudflare block, UFCStats challenge, drift.

The UFCStats proof-of-work page (status 200)::

    <title>Checking your browser...</title>
    <form id="challenge-form" method="POST" action="/__c">
      <input type="hidden" name="nonce" value="<hex>"> <input type="hidden" name="n" value="">
      <input type="hidden" name="r" value="<path to reload>">
    </form>
    <script> var nonce="<hex>"; var target=new Array(N+1).join('0'); ... </script>

The script looks for the first n >= 0 whose ``sha256(nonce + ":" + n)`` hex digest starts
with ``target`` (N zeros) and submits the form. ``POST /__c`` answers 200 with
``Set-Cookie: __ufc_c=<token>; Path=/; ...`` when ``n`` is right, 403 otherwise.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import random
import re

_NGINX = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Temporarily Unavailable", 403: "Forbidden"}  # fmt: skip

# class renames of the drift fault (longest first, applied inside class="..." only)
DRIFT_CLASSES = (
    ("b-statistics__table", "b-stats-table"),
    ("b-content__title-highlight", "b-title-hl"),
    ("b-content__title-record", "b-title-record"),
    ("b-content__Nickname", "b-title-nick"),
    ("b-fight-details__table-row__hover", "b-fd-row--hover"),
    ("b-fight-details__table", "b-fd-table"),
    ("b-list__box-list-item", "b-info-list__item"),
    ("b-list__box-item-title", "b-info-list__label"),
    ("b-link_style_black", "b-link--dark"),
    ("b-flag__text", "b-flag-label"),
)
_CLASS_ATTR = re.compile(r'class="([^"]*)"')


def error_page(code: int) -> str:
    """The nginx error page of ``code``."""
    return _NGINX.format(code=code, reason=REASONS.get(code, "Error"))


def retry_after(rng: random.Random) -> str:
    """``1`` (three times in four) or the HTTP date two seconds from now."""
    if rng.random() < 0.75:
        return "1"
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    return email.utils.format_datetime(when, usegmt=True)


def cf_ray(rng: random.Random) -> str:
    """A Cloudflare ray id."""
    return f"{rng.getrandbits(64):016x}"


def cloudflare_page(host: str, ray: str) -> str:
    """Cloudflare's managed-challenge interstitial ("Just a moment...")."""
    zone = html.escape(host, quote=True)
    return f"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><style>*{{box-sizing:border-box;margin:0;padding:0}}html{{line-height:1.15;-webkit-text-size-adjust:100%;color:#313131;font-family:system-ui,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial}}body{{display:flex;flex-direction:column;height:100vh;min-height:100vh}}.main-content{{margin:8rem auto;max-width:60rem;padding-left:1.5rem}}</style><meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div></div><script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: "{zone}",cType: 'managed',cRay: '{ray}',cH: '{ray[:12]}',cUPMDTk: "\\/?__cf_chl_tk={ray}",cFPWv: 'g',cITimeS: '1735000000'}};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray={ray}';window._cf_chl_opt.cOgUHash = location.hash === '' && location.href.indexOf('#') !== -1 ? '#' : location.hash;if (window.history && window.history.replaceState) {{var ogU = location.pathname + window._cf_chl_opt.cOgUQuery + window._cf_chl_opt.cOgUHash;history.replaceState(null, null, "\\/?__cf_chl_rt_tk={ray}" + window._cf_chl_opt.cOgUHash);cpo.onload = function() {{history.replaceState(null, null, ogU);}};}}document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script></body></html>"""  # noqa: E501


def challenge_page(nonce: str, difficulty: int, return_to: str) -> str:
    """UFCStats' "Checking your browser..." proof-of-work page (see the module doc)."""
    r = html.escape(return_to, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<title>Checking your browser...</title>
<style>body{{font-family:Arial,sans-serif;text-align:center;padding-top:15%;color:#333}}</style>
</head>
<body>
<h1>Checking your browser...</h1>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<noscript><p>Please enable JavaScript to continue.</p></noscript>
<form id="challenge-form" method="POST" action="/__c">
<input type="hidden" name="nonce" value="{nonce}">
<input type="hidden" name="n" value="">
<input type="hidden" name="r" value="{r}">
</form>
<script>
var nonce="{nonce}";
var target=new Array({difficulty}+1).join('0');
function hex(buf){{return Array.prototype.map.call(new Uint8Array(buf),function(b){{return ('0'+b.toString(16)).slice(-2);}}).join('');}}
async function solve(){{
  var enc=new TextEncoder();
  for(var n=0;;n++){{
    var h=hex(await crypto.subtle.digest('SHA-256',enc.encode(nonce+':'+n)));
    if(h.substring(0,target.length)===target){{
      var f=document.getElementById('challenge-form');
      f.elements['n'].value=n;
      f.submit();
      return;
    }}
  }}
}}
solve();
</script>
</body>
</html>
"""  # noqa: E501


def challenge_passed_page(return_to: str) -> str:
    """The answer to a right ``POST /__c``: back to the page asked for."""
    r = html.escape(return_to, quote=True)
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="refresh" content="0;url={r}">'
        f'<title>OK</title></head><body><a href="{r}">Continue</a></body></html>\n'
    )


def challenge_denied_page() -> str:
    """The answer to a wrong or unknown ``POST /__c``."""
    return ("<!DOCTYPE html>\n<html><head><title>Access denied</title></head><body>"
            "<h1>Access denied</h1><p>The browser check failed.</p></body></html>\n")  # fmt: skip


def safe_return(value: str | None) -> str:
    """A local path to reload after the challenge (anything else -> ``/``)."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/"


def drift(text: str) -> str:
    """The page after a redesign: the class names of :data:`DRIFT_CLASSES` renamed."""

    def fix(m: re.Match[str]) -> str:
        names = []
        for name in m.group(1).split(" "):
            for old, new in DRIFT_CLASSES:
                if name.startswith(old):
                    name = new + name[len(old) :]
                    break
            names.append(name)
        return f'class="{" ".join(names)}"'

    return _CLASS_ATTR.sub(fix, text)


def etag_of(body: bytes) -> str:
    """A strong ETag: a quoted hash of the body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
