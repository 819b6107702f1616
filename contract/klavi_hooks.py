"""Schemathesis hooks for the Klavi Data API's OpenAPI document (`klavi openapi`).

Load them with `SCHEMATHESIS_HOOKS=klavi_hooks` (this directory on `PYTHONPATH`):

* **Tokens as the document says per operation.** Each operation's `security` names
  `accessToken` (from `POST /data/v1/auth` with the keys) or `linkToken` (a new link's, from
  `POST /data/v1/links`); the tokens are fetched from the server under test, cached per scheme,
  and fetched again after a `401`.
* **The custom formats `cpf` and `cnpj`** generated valid (check digits computed), bare or
  masked, and, for a CNPJ, numeric or alphanumeric, so that positive data is accepted. Negative
  data still breaks them.

Environment: `KLAVI_URL` (default `http://127.0.0.1:8080`), `KLAVI_ACCESS_KEY` and
`KLAVI_SECRET_KEY` (default: `klavi mock`'s documented keys).
"""

import json
import os
import urllib.request

import schemathesis
from hypothesis import strategies as st

BASE_URL = os.environ.get("KLAVI_URL", "http://127.0.0.1:8080").rstrip("/")
ACCESS_KEY = os.environ.get("KLAVI_ACCESS_KEY", "klavi-mock-access-key")
SECRET_KEY = os.environ.get("KLAVI_SECRET_KEY", "klavi-mock-secret-key")


def _post(path, body, token=None):
    request = urllib.request.Request(
        BASE_URL + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _scheme(operation):
    """The security scheme the operation's `security` names, or `None` (no token)."""
    for requirement in operation.definition.raw.get("security") or []:
        for name in requirement:
            return name
    return None


@schemathesis.auth(cache_by_key=lambda case, ctx: _scheme(ctx.operation) or "none")
class KlaviTokens:
    """An access token, or a new link's token, as the operation's scheme asks."""

    def get(self, case, ctx):
        scheme = _scheme(ctx.operation)
        if scheme is None:
            return None
        access = _post("/data/v1/auth", {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY})["accessToken"]
        if scheme == "accessToken":
            return access
        return _post("/data/v1/links", {}, token=access)["linkToken"]

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = "Bearer " + data


def _cpf(base):
    values = [int(c) for c in base]
    first = sum(v * w for v, w in zip(values, range(10, 1, -1))) % 11
    d1 = 0 if first < 2 else 11 - first
    second = sum(v * w for v, w in zip(values + [d1], range(11, 1, -1))) % 11
    d2 = 0 if second < 2 else 11 - second
    return base + str(d1) + str(d2)


def _cnpj(base):
    values = [ord(c) - 48 for c in base]
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = sum(v * w for v, w in zip(values, weights)) % 11
    d1 = 0 if first < 2 else 11 - first
    second = sum(v * w for v, w in zip(values + [d1], [6] + weights)) % 11
    d2 = 0 if second < 2 else 11 - second
    return base + str(d1) + str(d2)


def _mask_cpf(cpf):
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def _mask_cnpj(cnpj):
    return f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"


_CPFS = (
    st.text("0123456789", min_size=9, max_size=9)
    .filter(lambda base: len(set(base)) > 1)
    .map(_cpf)
)
_CNPJS = (
    st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12)
    .filter(lambda base: base != "0" * 12)
    .map(_cnpj)
)

schemathesis.openapi.format("cpf", st.one_of(_CPFS, _CPFS.map(_mask_cpf)))
schemathesis.openapi.format("cnpj", st.one_of(_CNPJS, _CNPJS.map(_mask_cnpj)))


@schemathesis.hook
def map_body(ctx, body):
    """`POST /auth` with the server's keys when the generated body has both as strings (a
    positive case: with random keys every call would be a 401); a negative body keeps what
    makes it invalid (a member too many, a value of the wrong type)."""
    operation = ctx.operation
    if (
        operation is not None
        and operation.path == "/data/v1/auth"
        and isinstance(body, dict)
        and isinstance(body.get("accessKey"), str)
        and isinstance(body.get("secretKey"), str)
    ):
        return {**body, "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}
    return body
