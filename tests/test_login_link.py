"""The prefilled no-code login link: what the agent pastes to the owner must carry the exact e-mail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge.login_link import prefilled_login_url

LOGIN = "https://billing.stripe.com/p/login/test_lkbeMFgkCciaWJ"


def _email_back(url: str) -> str:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)["prefilled_email"][0]


def test_plain_email_is_appended() -> None:
    assert prefilled_login_url(LOGIN, "ada@customer.example") == (
        LOGIN + "?prefilled_email=ada%40customer.example"
    )


def test_plus_and_ampersand_survive() -> None:
    url = prefilled_login_url(LOGIN, "sam+billing&co@customer.example")
    assert "+" not in urlsplit(url).query
    assert _email_back(url) == "sam+billing&co@customer.example"


def test_no_email_gives_the_bare_link() -> None:
    assert prefilled_login_url(LOGIN, "") == LOGIN


def test_existing_query_and_fragment_are_kept() -> None:
    url = prefilled_login_url(LOGIN + "?locale=fr#top", "a@b.example")
    parts = urlsplit(url)
    assert parts.fragment == "top"
    assert parse_qs(parts.query) == {"locale": ["fr"], "prefilled_email": ["a@b.example"]}


@given(st.text(), st.text())
def test_never_crashes(login_url: str, email: str) -> None:
    assert isinstance(prefilled_login_url(login_url, email), str)


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1))
def test_round_trips_the_email(email: str) -> None:
    assert _email_back(prefilled_login_url(LOGIN, email)) == email


@given(st.emails())
def test_round_trips_real_emails(email: str) -> None:
    url = prefilled_login_url(LOGIN, email)
    assert url.startswith(LOGIN + "?prefilled_email=")
    assert _email_back(url) == email
