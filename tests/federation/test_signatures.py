"""HTTP signatures: the published test vectors of draft-cavage-http-signatures-12 (appendix C)
and RFC 9421 (appendix B and section 4.3), round trips, and every way a request can be forged.

The vectors below are written out from the two documents' text (RFC 8792 line wrapping undone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from glimpse.federation.signatures import (
    PublicKeyInfo,
    SignatureError,
    VerifiedSignature,
    cavage,
    rfc9421,
    same_origin,
    sign_request,
    sign_request_rfc9421,
    verify_request,
)
from glimpse.federation.signatures.common import lower_headers

# --- draft-cavage-http-signatures-12, appendix C ----------------------------------------------

CAVAGE_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
"""
CAVAGE_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
"""
CAVAGE_URL = "http://example.com/foo?param=value&pet=dog"
CAVAGE_NOW = dt.datetime(2014, 1, 5, 21, 31, 40, tzinfo=dt.UTC)
CAVAGE_HEADERS = {
    "host": "example.com",
    "date": "Sun, 05 Jan 2014 21:31:40 GMT",
    "content-type": "application/json",
    "digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "content-length": "18",
}
CAVAGE_BODY = b'{"hello": "world"}'
CAVAGE_DEFAULT_SIGNATURE = (
    "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7"
    "q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM="
)
CAVAGE_BASIC_SIGNATURE = (
    "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe"
    "8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0="
)
CAVAGE_ALL_HEADERS_SIGNATURE = (
    "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEU"
    "HFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="
)


def test_cavage_default_test_signs_the_date_alone_exactly() -> None:
    text = cavage.signing_string(
        method="POST", url=CAVAGE_URL, headers=CAVAGE_HEADERS, signed=["date"]
    )
    assert text == "date: Sun, 05 Jan 2014 21:31:40 GMT"
    assert cavage.sign_text(text, CAVAGE_PRIVATE_KEY) == CAVAGE_DEFAULT_SIGNATURE
    header = f'keyId="Test",algorithm="rsa-sha256",signature="{CAVAGE_DEFAULT_SIGNATURE}"'
    parsed = cavage.parse(header)
    assert parsed.headers == ("date",)
    assert _cavage_verifies(parsed, CAVAGE_HEADERS)


def test_cavage_basic_test_is_what_sign_request_sends() -> None:
    sent = sign_request(
        method="POST",
        url=CAVAGE_URL,
        headers={},
        body=None,
        key_id="Test",
        private_key_pem=CAVAGE_PRIVATE_KEY,
        now=CAVAGE_NOW,
    )
    assert sent["Host"] == "example.com"
    assert sent["Date"] == "Sun, 05 Jan 2014 21:31:40 GMT"
    assert "Digest" not in sent
    assert sent["Signature"] == (
        'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",'
        f'signature="{CAVAGE_BASIC_SIGNATURE}"'
    )
    assert cavage.signing_string(
        method="POST",
        url=CAVAGE_URL,
        headers=CAVAGE_HEADERS,
        signed=["(request-target)", "host", "date"],
    ) == (
        "(request-target): post /foo?param=value&pet=dog\n"
        "host: example.com\n"
        "date: Sun, 05 Jan 2014 21:31:40 GMT"
    )
    assert _cavage_verifies(cavage.parse(sent["Signature"]), CAVAGE_HEADERS)


def test_cavage_all_headers_test_signs_the_printed_string_exactly() -> None:
    signed = ["(request-target)", "host", "date", "content-type", "digest", "content-length"]
    text = cavage.signing_string(
        method="POST", url=CAVAGE_URL, headers=CAVAGE_HEADERS, signed=signed
    )
    assert text == (
        "(request-target): post /foo?param=value&pet=dog\n"
        "host: example.com\n"
        "date: Sun, 05 Jan 2014 21:31:40 GMT\n"
        "content-type: application/json\n"
        "digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\n"
        "content-length: 18"
    )
    assert cavage.sign_text(text, CAVAGE_PRIVATE_KEY) == CAVAGE_ALL_HEADERS_SIGNATURE
    header = (
        f'keyId="Test",algorithm="rsa-sha256",headers="{" ".join(signed)}",'
        f'signature="{CAVAGE_ALL_HEADERS_SIGNATURE}"'
    )
    parsed = cavage.parse(header)
    assert _cavage_verifies(parsed, CAVAGE_HEADERS)
    cavage.check_request(
        parsed, url=CAVAGE_URL, headers=CAVAGE_HEADERS, body=CAVAGE_BODY, now=CAVAGE_NOW
    )


def test_cavage_all_headers_test_as_printed_in_draft_12_does_not_verify() -> None:
    # Draft 12's header also names (created) and (expires), but its signature is the one of
    # the string printed above it, which has neither (the draft warns its vectors are old).
    header = (
        'keyId="Test",algorithm="rsa-sha256",created=1402170695, expires=1402170699,'
        'headers="(request-target) (created) (expires) host date content-type digest '
        f'content-length",signature="{CAVAGE_ALL_HEADERS_SIGNATURE}"'
    )
    parsed = cavage.parse(header)
    assert (parsed.created, parsed.expires) == (1402170695, 1402170699)
    assert not _cavage_verifies(parsed, CAVAGE_HEADERS)


def test_cavage_vectors_fail_once_anything_changes() -> None:
    header = (
        'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",'
        f'signature="{CAVAGE_BASIC_SIGNATURE}"'
    )
    parsed = cavage.parse(header)
    assert not _cavage_verifies(parsed, {**CAVAGE_HEADERS, "host": "example.org"})
    assert not cavage.verifies(
        parsed,
        method="PUT",
        url=CAVAGE_URL,
        headers=CAVAGE_HEADERS,
        public_key_pem=CAVAGE_PUBLIC_KEY,
    )


def _cavage_verifies(parsed: cavage.CavageSignature, headers: dict[str, str]) -> bool:
    """Check a parsed draft-cavage vector against the draft's request and public key."""
    return cavage.verifies(
        parsed, method="POST", url=CAVAGE_URL, headers=headers, public_key_pem=CAVAGE_PUBLIC_KEY
    )


# --- RFC 9421, appendix B.1 (keys), B.2 (signatures) and section 4.3 ---------------------------

RFC_RSA_PUBLIC_KEY = """-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrw
WEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFq
MGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75jfZg
kne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0P
uKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZSFlQ
PSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQAB
-----END RSA PUBLIC KEY-----
"""
RFC_RSA_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIIEqAIBAAKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsP
BRrwWEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsd
JKFqMGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75
jfZgkne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKI
lE0PuKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZ
SFlQPSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQABAoIBAG/JZuSWdoVHbi56
vjgCgkjg3lkO1KrO3nrdm6nrgA9P9qaPjxuKoWaKO1cBQlE1pSWp/cKncYgD5WxE
CpAnRUXG2pG4zdkzCYzAh1i+c34L6oZoHsirK6oNcEnHveydfzJL5934egm6p8DW
+m1RQ70yUt4uRc0YSor+q1LGJvGQHReF0WmJBZHrhz5e63Pq7lE0gIwuBqL8SMaA
yRXtK+JGxZpImTq+NHvEWWCu09SCq0r838ceQI55SvzmTkwqtC+8AT2zFviMZkKR
Qo6SPsrqItxZWRty2izawTF0Bf5S2VAx7O+6t3wBsQ1sLptoSgX3QblELY5asI0J
YFz7LJECgYkAsqeUJmqXE3LP8tYoIjMIAKiTm9o6psPlc8CrLI9CH0UbuaA2JCOM
cCNq8SyYbTqgnWlB9ZfcAm/cFpA8tYci9m5vYK8HNxQr+8FS3Qo8N9RJ8d0U5Csw
DzMYfRghAfUGwmlWj5hp1pQzAuhwbOXFtxKHVsMPhz1IBtF9Y8jvgqgYHLbmyiu1
mwJ5AL0pYF0G7x81prlARURwHo0Yf52kEw1dxpx+JXER7hQRWQki5/NsUEtv+8RT
qn2m6qte5DXLyn83b1qRscSdnCCwKtKWUug5q2ZbwVOCJCtmRwmnP131lWRYfj67
B/xJ1ZA6X3GEf4sNReNAtaucPEelgR2nsN0gKQKBiGoqHWbK1qYvBxX2X3kbPDkv
9C+celgZd2PW7aGYLCHq7nPbmfDV0yHcWjOhXZ8jRMjmANVR/eLQ2EfsRLdW69bn
f3ZD7JS1fwGnO3exGmHO3HZG+6AvberKYVYNHahNFEw5TsAcQWDLRpkGybBcxqZo
81YCqlqidwfeO5YtlO7etx1xLyqa2NsCeG9A86UjG+aeNnXEIDk1PDK+EuiThIUa
/2IxKzJKWl1BKr2d4xAfR0ZnEYuRrbeDQYgTImOlfW6/GuYIxKYgEKCFHFqJATAG
IxHrq1PDOiSwXd2GmVVYyEmhZnbcp8CxaEMQoevxAta0ssMK3w6UsDtvUvYvF22m
qQKBiD5GwESzsFPy3Ga0MvZpn3D6EJQLgsnrtUPZx+z2Ep2x0xc5orneB5fGyF1P
WtP+fG5Q6Dpdz3LRfm+KwBCWFKQjg7uTxcjerhBWEYPmEMKYwTJF5PBG9/ddvHLQ
EQeNC8fHGg4UXU8mhHnSBt3EA10qQJfRDs15M38eG2cYwB1PZpDHScDnDA0=
-----END RSA PRIVATE KEY-----
"""
RFC_RSA_PSS_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----
"""
RFC_ECC_P256_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf
w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
-----END PUBLIC KEY-----
"""
RFC_ED25519_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
RFC_ED25519_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
"""
RFC_URL = "https://example.com/foo?param=Value&Pet=dog"
RFC_CREATED = dt.datetime.fromtimestamp(1618884473, tz=dt.UTC)
RFC_BODY = b'{"hello": "world"}'
RFC_CONTENT_DIGEST = (
    "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+T"
    "aPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
)
RFC_HEADERS = {
    "Host": "example.com",
    "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Digest": RFC_CONTENT_DIGEST,
    "Content-Length": "18",
}
B21_INPUT = 'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"'
B21_SIGNATURE = (
    "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wg"
    "GxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhz"
    "x2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcA"
    "nLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:"
)
B22_INPUT = (
    'sig-b22=("@authority" "content-digest" "@query-param";name="Pet")'
    ';created=1618884473;keyid="test-key-rsa-pss";tag="header-example"'
)
B22_SIGNATURE = (
    "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtj"
    "vuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17S"
    "ARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rS"
    "V2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:"
)
B23_INPUT = (
    'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" '
    '"content-length");created=1618884473;keyid="test-key-rsa-pss"'
)
B23_SIGNATURE = (
    "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt68"
    "3+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH"
    "1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8L"
    "ZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:"
)
B26_COMPONENTS = ["date", "@method", "@path", "@authority", "content-type", "content-length"]
B26_INPUT = (
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"'
)
B26_SIGNATURE = (
    "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRC"
    "w==:"
)
# Section 4.3: the client's ECDSA signature, then the proxy's rsa-v1_5-sha256 one.
S43_CLIENT_INPUT = (
    'sig1=("@method" "@authority" "@path" "content-digest" "content-type" "content-length")'
    ';created=1618884475;keyid="test-key-ecc-p256"'
)
S43_CLIENT_SIGNATURE = (
    "sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp"
    "+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:"
)
S43_PROXY_URL = "https://origin.host.internal.example/foo?param=Value&Pet=dog"
S43_PROXY_HEADERS = {
    "Host": "origin.host.internal.example",
    "Date": "Tue, 20 Apr 2021 02:07:56 GMT",
    "Content-Type": "application/json",
    "Content-Length": "18",
    "Forwarded": "for=192.0.2.123;host=example.com;proto=https",
    "Content-Digest": RFC_CONTENT_DIGEST,
}
S43_PROXY_COMPONENTS = [
    "@method",
    "@authority",
    "@path",
    "content-digest",
    "content-type",
    "content-length",
    "forwarded",
]
S43_PROXY_INPUT = (
    'proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" '
    '"forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256"'
    ";expires=1618884540"
)
S43_PROXY_SIGNATURE = (
    "proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+"
    "MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tS"
    "Fu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6"
    "NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:"
)


@pytest.mark.parametrize(
    ("signature_input", "signature", "public_key"),
    [
        (B21_INPUT, B21_SIGNATURE, RFC_RSA_PSS_PUBLIC_KEY),
        (B22_INPUT, B22_SIGNATURE, RFC_RSA_PSS_PUBLIC_KEY),
        (B23_INPUT, B23_SIGNATURE, RFC_RSA_PSS_PUBLIC_KEY),
        (B26_INPUT, B26_SIGNATURE, RFC_ED25519_PUBLIC_KEY),
        (S43_CLIENT_INPUT, S43_CLIENT_SIGNATURE, RFC_ECC_P256_PUBLIC_KEY),
    ],
    ids=["B.2.1-rsa-pss", "B.2.2-rsa-pss", "B.2.3-rsa-pss", "B.2.6-ed25519", "4.3-ecdsa-p256"],
)
def test_rfc9421_published_signatures_verify_and_fail_once_tampered(
    signature_input: str, signature: str, public_key: str
) -> None:
    headers = {**RFC_HEADERS, "Signature-Input": signature_input, "Signature": signature}
    assert _rfc9421_verifies(headers, public_key)
    # Another key, or a flipped signature byte, no longer verifies.
    assert not _rfc9421_verifies(headers, _rsa_public_pem(_old_key()))
    flipped = signature.replace(signature[-8], "A" if signature[-8] != "A" else "B")
    assert not _rfc9421_verifies({**headers, "Signature": flipped}, public_key)


def test_rfc9421_published_signatures_cover_what_they_say() -> None:
    headers = {**RFC_HEADERS, "Signature-Input": B22_INPUT, "Signature": B22_SIGNATURE}
    assert _rfc9421_verifies(headers, RFC_RSA_PSS_PUBLIC_KEY)
    # B.2.2 covers the Pet query parameter: another value breaks it.
    assert not _rfc9421_verifies(
        headers, RFC_RSA_PSS_PUBLIC_KEY, url="https://example.com/foo?param=Value&Pet=cat"
    )
    headers = {**RFC_HEADERS, "Signature-Input": B23_INPUT, "Signature": B23_SIGNATURE}
    # B.2.3 covers the content type, the method and the date.
    assert not _rfc9421_verifies({**headers, "Content-Type": "text/plain"}, RFC_RSA_PSS_PUBLIC_KEY)
    assert not _rfc9421_verifies(headers, RFC_RSA_PSS_PUBLIC_KEY, method="PUT")
    assert not _rfc9421_verifies(
        {**headers, "Date": "Tue, 20 Apr 2021 02:07:56 GMT"}, RFC_RSA_PSS_PUBLIC_KEY
    )


def test_rfc9421_b26_ed25519_is_signed_exactly() -> None:
    sent = sign_request_rfc9421(
        method="POST",
        url=RFC_URL,
        headers=RFC_HEADERS,
        body=None,
        key_id="test-key-ed25519",
        private_key_pem=RFC_ED25519_PRIVATE_KEY,
        now=RFC_CREATED,
        components=B26_COMPONENTS,
        label="sig-b26",
        include_alg=False,
    )
    assert sent["Signature-Input"] == B26_INPUT
    assert sent["Signature"] == B26_SIGNATURE


def test_rfc9421_section_4_3_rsa_v1_5_proxy_signature_is_signed_exactly() -> None:
    sent = sign_request_rfc9421(
        method="POST",
        url=S43_PROXY_URL,
        headers=S43_PROXY_HEADERS,
        body=None,
        key_id="test-key-rsa",
        private_key_pem=RFC_RSA_PRIVATE_KEY,
        now=dt.datetime.fromtimestamp(1618884480, tz=dt.UTC),
        expires=dt.datetime.fromtimestamp(1618884540, tz=dt.UTC),
        components=S43_PROXY_COMPONENTS,
        label="proxy_sig",
    )
    assert sent["Signature-Input"] == S43_PROXY_INPUT
    assert sent["Signature"] == S43_PROXY_SIGNATURE
    # The client's signature no longer holds for the request the proxy forwards.
    forwarded = {
        **S43_PROXY_HEADERS,
        "Signature-Input": S43_CLIENT_INPUT,
        "Signature": S43_CLIENT_SIGNATURE,
    }
    assert not _rfc9421_verifies(forwarded, RFC_ECC_P256_PUBLIC_KEY, url=S43_PROXY_URL)
    published = {**S43_PROXY_HEADERS, **sent}
    assert _rfc9421_verifies(published, RFC_RSA_PUBLIC_KEY, url=S43_PROXY_URL)


def test_rfc9421_federation_rules_on_the_published_examples() -> None:
    now = RFC_CREATED
    full = {**RFC_HEADERS, "Signature-Input": B23_INPUT, "Signature": B23_SIGNATURE}
    [b23] = rfc9421.parse(lower_headers(full))
    rfc9421.check_request(b23, headers=lower_headers(full), body=RFC_BODY, now=now)
    for signature_input, signature, missing in [
        (B21_INPUT, B21_SIGNATURE, "@method"),
        (B22_INPUT, B22_SIGNATURE, "@method"),
        (B26_INPUT, B26_SIGNATURE, "content-digest"),
    ]:
        headers = lower_headers(
            {**RFC_HEADERS, "Signature-Input": signature_input, "Signature": signature}
        )
        [parsed] = rfc9421.parse(headers)
        with pytest.raises(SignatureError, match=f"unsigned required component: {missing}"):
            rfc9421.check_request(parsed, headers=headers, body=RFC_BODY, now=now)


def _rfc9421_verifies(
    headers: dict[str, str],
    public_key: str,
    *,
    method: str = "POST",
    url: str = RFC_URL,
) -> bool:
    """Check the one signature of a request against a key, with no rule but the signature's."""
    lowered = lower_headers(headers)
    [signature] = rfc9421.parse(lowered)
    return rfc9421.verifies(
        signature, method=method, url=url, headers=lowered, public_key_pem=public_key
    )


# --- verify_request: federation's rules, with keys of our own ---------------------------------

ANA = "https://glimpse.example/users/ana"
ANA_KEY = f"{ANA}#main-key"
INBOX = "https://remote.example/inbox"
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
NOTE = b'{"type": "Create", "actor": "https://glimpse.example/users/ana"}'


@cache
def _old_key() -> rsa.RSAPrivateKey:
    """Return an RSA key made once for these tests: ana's key before she rotated it."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def _new_key() -> rsa.RSAPrivateKey:
    """Return another RSA key made once for these tests: ana's key now."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def _ed_key() -> ed25519.Ed25519PrivateKey:
    """Return an Ed25519 key made once for these tests."""
    return ed25519.Ed25519PrivateKey.generate()


def _private_pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    """Write a private key as PKCS#8 PEM, as keys are stored."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _rsa_public_pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    """Write a key's public half as SubjectPublicKeyInfo PEM, as actors publish it."""
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class Directory:
    """A stand-in for the caller's key lookup: answers in turn, and remembers each call."""

    def __init__(self, *answers: PublicKeyInfo | None) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, bool]] = []

    def __call__(self, key_id: str, refresh: bool) -> PublicKeyInfo | None:
        self.calls.append((key_id, refresh))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def _ana(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | None = None) -> PublicKeyInfo:
    """Return ana's public key as a lookup answers it."""
    return PublicKeyInfo(public_key_pem=_rsa_public_pem(key or _new_key()), actor_id=ANA)


def _post(
    *, body: bytes | None = NOTE, url: str = INBOX, when: dt.datetime = NOW
) -> dict[str, str]:
    """Return the headers of a POST ana signs with her current key."""
    return sign_request(
        method="POST",
        url=url,
        headers={"Content-Type": "application/activity+json"},
        body=body,
        key_id=ANA_KEY,
        private_key_pem=_private_pem(_new_key()),
        now=when,
    )


def _verify(
    headers: dict[str, str],
    *,
    body: bytes = NOTE,
    method: str = "POST",
    url: str = INBOX,
    lookup: Callable[[str, bool], PublicKeyInfo | None] | None = None,
    now: dt.datetime = NOW,
) -> VerifiedSignature:
    """Verify a request as an inbox would."""
    return verify_request(
        method=method,
        url=url,
        headers=headers,
        body=body,
        key_lookup=lookup or Directory(_ana()),
        now=now,
    )


def test_a_signed_post_round_trips() -> None:
    headers = _post()
    assert headers["Host"] == "remote.example"
    assert headers["Digest"].startswith("SHA-256=")
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    directory = Directory(_ana())
    verified = _verify(headers, lookup=directory)
    assert verified == VerifiedSignature(key_id=ANA_KEY, actor_id=ANA, scheme="cavage")
    assert directory.calls == [(ANA_KEY, False)]


def test_a_signed_get_round_trips_and_covers_accept() -> None:
    url = "https://remote.example/users/bo?page=2"
    headers = sign_request(
        method="GET",
        url=url,
        headers={"Accept": "application/activity+json"},
        body=None,
        key_id=ANA_KEY,
        private_key_pem=_private_pem(_new_key()),
        now=NOW,
    )
    assert "Digest" not in headers
    assert 'headers="(request-target) host date accept"' in headers["Signature"]
    assert _verify(headers, method="GET", url=url, body=b"").scheme == "cavage"
    with pytest.raises(SignatureError, match="bad signature"):
        _verify({**headers, "Accept": "text/html"}, method="GET", url=url, body=b"")


def test_the_authorization_header_form_is_read_too() -> None:
    headers = _post()
    headers["Authorization"] = "Signature " + headers.pop("Signature")
    assert _verify(headers).actor_id == ANA


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h: {**h, "Date": "Sun, 01 Mar 2026 12:00:01 GMT"}, "bad signature"),
        (lambda h: {**h, "Content-Type": "text/plain"}, None),
        (lambda h: {**h, "Digest": "SHA-256=" + "A" * 43 + "="}, "bad digest"),
    ],
    ids=["date", "unsigned-header", "digest"],
)
def test_a_changed_header(
    change: Callable[[dict[str, str]], dict[str, str]], reason: str | None
) -> None:
    changed = change(_post())
    if reason is None:  # a header the signature does not cover may change
        assert _verify(changed).actor_id == ANA
        return
    with pytest.raises(SignatureError, match=reason):
        _verify(changed)


def test_a_changed_body_fails() -> None:
    with pytest.raises(SignatureError, match="bad digest"):
        _verify(_post(), body=NOTE.replace(b"Create", b"Delete"))


def test_a_changed_body_with_a_matching_digest_fails() -> None:
    other = NOTE.replace(b"Create", b"Delete")
    headers = {**_post(), "Digest": _post(body=other)["Digest"]}
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(headers, body=other)


def test_a_changed_method_fails() -> None:
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(_post(), method="PUT")


def test_a_changed_path_fails() -> None:
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(_post(), url="https://remote.example/users/bo/inbox")


def test_a_changed_host_fails() -> None:
    other = "https://elsewhere.example/inbox"
    with pytest.raises(SignatureError, match="wrong host"):
        _verify(_post(), url=other)
    with pytest.raises(SignatureError, match="bad signature"):
        _verify({**_post(), "Host": "elsewhere.example"}, url=other)


def test_a_body_without_a_signed_digest_fails() -> None:
    unsigned = _post(body=None)
    with pytest.raises(SignatureError, match="unsigned required component: digest"):
        _verify(unsigned)
    with pytest.raises(SignatureError, match="unsigned required component: digest"):
        _verify({**unsigned, "Digest": _post()["Digest"]})


@pytest.mark.parametrize("hours", [-13, 13])
def test_a_date_outside_the_window_fails(hours: int) -> None:
    headers = _post(when=NOW + dt.timedelta(hours=hours))
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(headers)
    assert _verify(_post(when=NOW + dt.timedelta(hours=hours // 2))).actor_id == ANA


def test_the_window_is_a_setting(settings) -> None:
    settings.GLIMPSE_FEDERATION_SIGNATURE_SKEW = 60
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(_post(when=NOW - dt.timedelta(minutes=2)))
    assert _verify(_post(when=NOW - dt.timedelta(seconds=30))).actor_id == ANA


def test_created_and_expires_are_honoured() -> None:
    def signed(created: int, expires: int) -> dict[str, str]:
        names = ["(request-target)", "host", "(created)", "(expires)", "digest"]
        headers = lower_headers(_post())
        text = cavage.signing_string(
            method="POST",
            url=INBOX,
            headers=headers,
            signed=names,
            created=created,
            expires=expires,
        )
        value = cavage.sign_text(text, _private_pem(_new_key()))
        headers["signature"] = (
            f'keyId="{ANA_KEY}",algorithm="hs2019",created={created},expires={expires},'
            f'headers="{" ".join(names)}",signature="{value}"'
        )
        del headers["date"]
        return headers

    start = int(NOW.timestamp())
    assert _verify(signed(start - 60, start + 60)).scheme == "cavage"
    with pytest.raises(SignatureError, match="expired"):
        _verify(signed(start - 60, start - 1))
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(signed(start - 13 * 3600, start + 60))


def test_required_components_must_be_signed() -> None:
    headers = _post()
    for dropped in ["(request-target) ", "host ", "date "]:
        weaker = {**headers, "Signature": headers["Signature"].replace(dropped, "", 1)}
        with pytest.raises(SignatureError, match="unsigned required component"):
            _verify(weaker)


def test_a_signed_header_missing_from_the_request_fails_before_any_lookup() -> None:
    headers = _post()
    del headers["Date"]
    directory = Directory(_ana())
    with pytest.raises(SignatureError, match="missing header: the signed header date"):
        _verify(headers, lookup=directory)
    assert directory.calls == []


def test_an_unsupported_algorithm_fails() -> None:
    headers = _post()
    weaker = {**headers, "Signature": headers["Signature"].replace("rsa-sha256", "rsa-sha1")}
    with pytest.raises(SignatureError, match="unsupported algorithm: rsa-sha1"):
        _verify(weaker)


def test_no_signature_or_a_malformed_one_fails() -> None:
    headers = _post()
    del headers["Signature"]
    with pytest.raises(SignatureError, match="missing header"):
        _verify(headers)
    with pytest.raises(SignatureError, match="malformed signature"):
        _verify({**headers, "Signature": 'keyId="x",,signature'})


def test_an_unknown_key_fails_after_one_fresh_look() -> None:
    directory = Directory(None)
    with pytest.raises(SignatureError, match="unknown key"):
        _verify(_post(), lookup=directory)
    assert directory.calls == [(ANA_KEY, False), (ANA_KEY, True)]


def test_a_rotated_key_is_fetched_again_once() -> None:
    directory = Directory(_ana(_old_key()), _ana(_new_key()))
    assert _verify(_post(), lookup=directory).actor_id == ANA
    assert directory.calls == [(ANA_KEY, False), (ANA_KEY, True)]


def test_a_wrong_key_fails_after_one_fresh_look() -> None:
    directory = Directory(_ana(_old_key()))
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(_post(), lookup=directory)
    assert directory.calls == [(ANA_KEY, False), (ANA_KEY, True)]


def test_a_key_on_another_host_than_its_owner_is_refused() -> None:
    stranger = PublicKeyInfo(
        public_key_pem=_rsa_public_pem(_new_key()), actor_id="https://evil.example/users/ana"
    )
    with pytest.raises(SignatureError, match="host mismatch"):
        _verify(_post(), lookup=Directory(stranger))


def test_same_origin() -> None:
    assert same_origin(ANA_KEY, ANA)
    assert same_origin("https://Glimpse.example:443/actor#main-key", "https://glimpse.example/x")
    assert not same_origin(ANA_KEY, "https://evil.example/users/ana")
    assert not same_origin(ANA_KEY, "http://glimpse.example/users/ana")
    assert not same_origin(ANA_KEY, "https://glimpse.example:8443/users/ana")
    assert not same_origin("test-key-rsa", "test-key-rsa")
    assert not same_origin("https://glimpse.example.evil.example/a", ANA)


# --- verify_request with RFC 9421 signatures ---------------------------------------------------


def _post_rfc9421(
    *,
    key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | None = None,
    body: bytes | None = NOTE,
    when: dt.datetime = NOW,
    expires: dt.datetime | None = None,
    components: list[str] | None = None,
) -> dict[str, str]:
    """Return the headers of a POST ana signs in RFC 9421's form."""
    return sign_request_rfc9421(
        method="POST",
        url=INBOX,
        headers={"Content-Type": "application/activity+json"},
        body=body,
        key_id=ANA_KEY,
        private_key_pem=_private_pem(key or _new_key()),
        now=when,
        expires=expires,
        components=components,
    )


@pytest.mark.parametrize("kind", ["rsa", "ed25519"])
def test_an_rfc9421_post_round_trips(kind: str) -> None:
    key = _new_key() if kind == "rsa" else _ed_key()
    headers = _post_rfc9421(key=key)
    assert headers["Content-Digest"].startswith("sha-256=:")
    verified = _verify(headers, lookup=Directory(_ana(key)))
    assert verified == VerifiedSignature(key_id=ANA_KEY, actor_id=ANA, scheme="rfc9421")


def test_an_rfc9421_post_with_authority_and_path_round_trips() -> None:
    components = ["@method", "@authority", "@path", "content-digest"]
    assert _verify(_post_rfc9421(components=components)).scheme == "rfc9421"


def test_an_rfc9421_post_fails_once_tampered() -> None:
    headers = _post_rfc9421()
    with pytest.raises(SignatureError, match="bad digest"):
        _verify(headers, body=NOTE + b" ")
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(headers, method="PUT")
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(headers, url="https://remote.example/other-inbox")
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(headers, url="https://elsewhere.example/inbox")
    other = NOTE.replace(b"Create", b"Delete")
    swapped = {**headers, "Content-Digest": _post_rfc9421(body=other)["Content-Digest"]}
    with pytest.raises(SignatureError, match="bad signature"):
        _verify(swapped, body=other)


def test_an_rfc9421_post_must_cover_method_target_and_digest() -> None:
    for components, missing in [
        (["@target-uri", "content-digest"], "@method"),
        (["@method", "@path", "content-digest"], "@authority"),
        (["@method", "@target-uri"], "content-digest"),
    ]:
        with pytest.raises(SignatureError, match=f"unsigned required component: {missing}"):
            _verify(_post_rfc9421(components=components))


def test_an_rfc9421_signature_keeps_to_the_clock() -> None:
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(_post_rfc9421(when=NOW - dt.timedelta(hours=13)))
    with pytest.raises(SignatureError, match="expired"):
        _verify(
            _post_rfc9421(when=NOW - dt.timedelta(minutes=5), expires=NOW - dt.timedelta(minutes=1))
        )
    late = _post_rfc9421(when=NOW - dt.timedelta(minutes=5), expires=NOW + dt.timedelta(minutes=1))
    assert _verify(late).actor_id == ANA


def test_an_rfc9421_rotated_key_is_fetched_again_once() -> None:
    directory = Directory(_ana(_old_key()), _ana(_new_key()))
    assert _verify(_post_rfc9421(), lookup=directory).scheme == "rfc9421"
    assert directory.calls == [(ANA_KEY, False), (ANA_KEY, True)]


def test_an_rfc9421_key_on_another_host_is_refused() -> None:
    stranger = PublicKeyInfo(
        public_key_pem=_rsa_public_pem(_new_key()), actor_id="https://evil.example/users/ana"
    )
    with pytest.raises(SignatureError, match="host mismatch"):
        _verify(_post_rfc9421(), lookup=Directory(stranger))


def test_an_rfc9421_algorithm_outside_the_list_is_refused() -> None:
    headers = _post_rfc9421()
    headers["Signature-Input"] = headers["Signature-Input"].replace(
        '"rsa-v1_5-sha256"', '"hmac-sha256"'
    )
    with pytest.raises(SignatureError, match="unsupported algorithm: hmac-sha256"):
        _verify(headers)
