"""Words the console shows or sends that come from the texts files: the labels of the risk
reasons (every category of the triage vocabulary, in French and English) and the words of the
referral card, in both languages whatever the listener's."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Browser, BrowserContext

from server.i18n import LOCALES
from server.triage import CATEGORIES
from server.triage.lexicon import CATEGORY_ORDER
from server.web.console_context import card_words
from server.words import ALL_TEXTS
from tests.conftest import MakeStaff, MakeTenant
from tests.console.browser import ALWAYS_OPEN, signed_in_console
from tests.console.test_console_page import bearer, data_attribute


def reason_key(category: str) -> str:
    """The same key as reasonLabel in server/web/static/console/dom.js."""
    return "con_js_reason_" + category.replace(":", "_", 1)


def test_every_triage_category_has_a_french_and_an_english_label() -> None:
    assert set(CATEGORY_ORDER) == CATEGORIES
    missing = [
        (category, locale)
        for category in [*CATEGORY_ORDER, "listener"]  # "listener": risk set by a listener
        for locale in LOCALES
        if not ALL_TEXTS.get(reason_key(category), {}).get(locale, "").strip()
    ]
    assert missing == []
    # Two categories never share a key (and so a label).
    assert len({reason_key(c) for c in CATEGORY_ORDER}) == len(CATEGORY_ORDER)


def test_the_card_words_exist_in_every_language() -> None:
    words = card_words()
    assert set(words) == set(LOCALES)
    assert words["fr"] == {"phone": "Tél.", "sms": "SMS", "hours": "Horaires"}
    assert words["en"] == {"phone": "Phone", "sms": "Text", "hours": "Hours"}


async def test_the_page_hands_reason_labels_in_its_language_and_card_words_in_both(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    await bearer(client, await make_staff(tenant.slug, "listener"))

    french = (await client.get("/console/?lang=fr")).text
    english = (await client.get("/console/?lang=en")).text

    texts = data_attribute(french, "texts")
    for category in CATEGORY_ORDER:
        assert texts[reason_key(category)] == ALL_TEXTS[reason_key(category)]["fr"]
    assert texts["con_js_reason_means_medication"] == "moyens : médicaments"
    assert data_attribute(english, "texts")["con_js_reason_means_medication"] == (
        "means: medication"
    )
    # An English-speaking listener still writes a French conversation's card in French.
    assert data_attribute(english, "config")["card_words"] == card_words()


async def test_in_the_browser_reasons_read_in_french_and_cards_in_the_conversation_language(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await page.goto(f"{live_url}/console/?lang=fr")

    labels = await page.evaluate(
        """async () => {
          const { reasonLabel } = await import("/static/console/dom.js");
          return ["means:medication", "timeframe:tonight", "listener", "means:unheard_of"]
            .map(reasonLabel);
        }"""
    )
    referral = {
        "name": {"fr": "3114 — Prévention du suicide", "en": "3114 — Suicide prevention"},
        "phone": "3114",
        "sms": "114",
        "hours": {"fr": "24 h/24", "en": "24/7"},
        "url": "https://3114.fr",
    }
    cards = await page.evaluate(
        """async (referral) => {
          const { referralCard, referralName } = await import("/static/console/tools.js");
          const plain = { ...referral, name: "SOS Amitié" };
          return [referralCard(referral, "fr"), referralCard(referral, "en"),
                  referralName(referral), referralName(plain, "en")];
        }""",
        referral,
    )

    assert labels == [
        "moyens : médicaments",
        "échéance : ce soir",
        "évalué par l'écoutant·e",
        "means:unheard_of",  # a category the page has no label for: shown as given
    ]
    # The listener's page is French; each card is in its conversation's language, name too.
    assert cards == [
        "3114 — Prévention du suicide\nTél. 3114\nSMS 114\nHoraires : 24 h/24\nhttps://3114.fr",
        "3114 — Suicide prevention\nPhone 3114\nText 114\nHours : 24/7\nhttps://3114.fr",
        "3114 — Prévention du suicide",  # the listener's own list: the page's language
        "SOS Amitié",  # one name for every language
    ]
    assert page.errors == []  # type: ignore[attr-defined]
