"""What a visitor reads about opening hours, in French and English.

Times are always the tenant's local times (a line in Montréal speaks of Montréal's clock), and
"today" is the tenant's local date. The phrases:

* open: "Ouvert jusqu'à 2h" / "Open until 2 am"; a close 24 hours or more away names its day
  ("Ouvert jusqu'à lundi 9h" / "Open until Monday at 9 am"); an opening that runs past the
  days computed (a line open around the clock) is "Ouvert en ce moment" / "Open now".
* open but past the cutoff for new conversations: "Fermeture à 2h" / "Closing at 2 am",
  followed by the next opening after " · " when there is one.
* closed, next opening today from 18:00: "Ouvert ce soir de 20h à 2h" / "Open tonight from
  8 pm to 2 am"; today before 18:00: "Ouvert aujourd'hui de 9h à 17h30" / "Open today from
  9 am to 5:30 pm"; tomorrow: "Ouvert demain ..." / "Open tomorrow ..."; two to six days
  ahead: the weekday ("Ouvert lundi ..." / "Open Monday ..."); seven days or more: the weekday
  and date ("Ouvert le lundi 10 août ..." / "Open Monday 10 August ..."); none within the
  look-ahead: "Fermé pour le moment" / "Closed for now". When the next opening lasts more
  than 24 hours, only its start is given ("Ouvert demain à partir de 9h" / "Open tomorrow
  from 9 am").
* clock times: "21h", "2h30", "17h30", "12h", "minuit", "0h30" in French; "9 pm", "2:30 am",
  "5:30 pm", "noon", "midnight", "12:30 am" in English.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from server.hours.schedule import OpeningState, Schedule, Slot
from server.tenants.structs import Locale

FR_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EVENING = time(18, 0)
_DAY_SECONDS = 24 * 60 * 60
_WHOLE_DAY = Slot(0, 24 * 60)


def clock_text(moment: time | datetime, locale: Locale) -> str:
    """A time of day as a visitor says it: "2h30" / "2:30 am"."""
    hour, minute = moment.hour, moment.minute
    if _check(locale) == "fr":
        if (hour, minute) == (0, 0):
            return "minuit"
        return f"{hour}h" if minute == 0 else f"{hour}h{minute:02d}"
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour} {suffix}" if minute == 0 else f"{hour}:{minute:02d} {suffix}"


def describe_state(state: OpeningState, now: datetime, locale: Locale) -> str:
    """One line telling a visitor whether the line is open, and if not, when it opens."""
    fr = _check(locale) == "fr"
    zone = ZoneInfo(state.time_zone)
    today = now.astimezone(zone).date()
    if state.is_open:
        if state.closes_at is None:
            return "Ouvert en ce moment" if fr else "Open now"
        closes = state.closes_at.astimezone(zone)
        at = clock_text(closes, locale)
        if state.accepting_new:
            if closes.timestamp() - now.timestamp() < _DAY_SECONDS:
                return f"Ouvert jusqu'à {at}" if fr else f"Open until {at}"
            word = _day_word(closes.date(), today, locale, evening=False)
            if fr:
                until = f"jusqu'au {word[3:]}" if word.startswith("le ") else f"jusqu'à {word}"
                return f"Ouvert {until} {at}"
            return f"Open until {word} at {at}"
        closing = f"Fermeture à {at}" if fr else f"Closing at {at}"
        if state.next_opening is None:
            return closing
        return f"{closing} · {_next_window(state, zone, today, locale)}"
    if state.next_opening is None:
        return "Fermé pour le moment" if fr else "Closed for now"
    return _next_window(state, zone, today, locale)


def describe_week(schedule: Schedule, locale: Locale) -> list[str]:
    """The weekly hours, one line per weekday from Monday: "Lundi : 20h – 2h" /
    "Monday: 8 pm – 2 am". Dated exceptions are not part of the week."""
    fr = _check(locale) == "fr"
    lines = []
    for weekday in range(7):
        slots = schedule.weekly(weekday)
        if not slots:
            hours = "Fermé" if fr else "Closed"
        elif slots == (_WHOLE_DAY,):
            hours = "24h/24" if fr else "Open 24 hours"
        else:
            hours = ", ".join(
                f"{_minute_text(slot.opens, locale)} – {_minute_text(slot.closes, locale)}"
                for slot in slots
            )
        name = FR_WEEKDAYS[weekday].capitalize() if fr else EN_WEEKDAYS[weekday]
        lines.append(f"{name} : {hours}" if fr else f"{name}: {hours}")
    return lines


def _next_window(state: OpeningState, zone: ZoneInfo, today: date, locale: Locale) -> str:
    assert state.next_opening is not None
    opens = state.next_opening.astimezone(zone)
    word = _day_word(opens.date(), today, locale, evening=opens.time() >= EVENING)
    start = clock_text(opens, locale)
    closing = state.next_closing
    if closing is not None and closing.timestamp() - opens.timestamp() <= _DAY_SECONDS:
        end = clock_text(closing.astimezone(zone), locale)
        if locale == "fr":
            return f"Ouvert {word} de {start} à {end}"
        return f"Open {word} from {start} to {end}"
    return f"Ouvert {word} à partir de {start}" if locale == "fr" else f"Open {word} from {start}"


def _day_word(day: date, today: date, locale: Locale, *, evening: bool) -> str:
    """How to name a day from today: "ce soir", "aujourd'hui", "demain", "lundi", or, a week
    or more away, "le lundi 10 août" (English: tonight, today, tomorrow, Monday, Monday
    10 August)."""
    ahead = (day - today).days
    fr = locale == "fr"
    if ahead == 0:
        if evening:
            return "ce soir" if fr else "tonight"
        return "aujourd'hui" if fr else "today"
    if ahead == 1:
        return "demain" if fr else "tomorrow"
    weekday = FR_WEEKDAYS[day.weekday()] if fr else EN_WEEKDAYS[day.weekday()]
    if 1 < ahead < 7:
        return weekday
    if fr:
        number = "1er" if day.day == 1 else str(day.day)
        return f"le {weekday} {number} {FR_MONTHS[day.month - 1]}"
    return f"{weekday} {day.day} {EN_MONTHS[day.month - 1]}"


def _minute_text(minutes: int, locale: Locale) -> str:
    minutes %= 24 * 60
    return clock_text(time(minutes // 60, minutes % 60), locale)


def _check(locale: str) -> str:
    if locale not in ("fr", "en"):
        raise ValueError(f"unsupported locale {locale!r} (use 'fr' or 'en')")
    return locale
