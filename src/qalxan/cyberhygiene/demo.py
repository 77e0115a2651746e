"""Demo data: four quarterly leaks (a combination list, stealer logs in a zip archive, a CSV dump) holding
accounts of the demo institutions, some confirmed, plus administrator lists, training and phishing drills.
Idempotent: nothing is added when leaks exist."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from qalxan.core import demo
from qalxan.cyberhygiene import queries, services
from qalxan.cyberhygiene.choices import ExposureState, Measure
from qalxan.cyberhygiene.models import Exposure, Leak
from qalxan.organizations.models import Organization

FIRST = [
    "ali",
    "leyla",
    "rashad",
    "nigar",
    "elvin",
    "aysel",
    "tural",
    "gunel",
    "orxan",
    "sevinj",
    "kamran",
    "aynur",
]
LAST = ["aliyev", "mammadova", "huseynov", "quliyeva", "hasanov", "ismayilova", "abbasov", "karimova"]
NOISE = ["gmail.com", "mail.ru", "yahoo.com", "box.az", "outlook.com", "yandex.ru"]


def _password(rng: object, strong: bool) -> str:
    r = rng  # random.Random
    base = r.choice(["Baku", "Sumqayit", "Qarabag", "Vetən", "parol", "Salam"])  # type: ignore[attr-defined]
    tail = r.randint(10, 9999)  # type: ignore[attr-defined]
    return f"{base}{tail}!{r.choice('XYZQ')}{r.randint(10, 99)}" if strong else f"{base.lower()}{tail}"  # type: ignore[attr-defined]


@demo.register(60, "cyber hygiene")
def load_cyberhygiene(ctx: demo.DemoContext) -> None:
    if Leak.objects.exists():
        return
    rng = ctx.rng
    orgs = [
        o for o in Organization.objects.filter(is_active=True).prefetch_related("domains") if o.domains.all()
    ]
    if not orgs:
        return
    count = 60 if ctx.scale == "small" else 400
    today = timezone.localdate()
    quarter = queries.Quarter.of(today)
    workdir = Path(tempfile.mkdtemp(prefix="qalxan-demo-leaks-"))
    people: list[tuple[Organization, str]] = []
    for _ in range(count):
        org = rng.choice(orgs)
        domain = org.domains.all()[0].domain
        people.append((org, f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}@{domain}"))
    for n, (org, login) in enumerate(people[:: max(1, count // 12)]):
        if n % 2 == 0:
            services.add_admin_account(actor=ctx.actor, organization=org, login=login)
    for back in range(3, -1, -1):
        q = quarter.previous(back)
        received = timezone.make_aware(dt.datetime.combine(q.start + dt.timedelta(days=20), dt.time(10)))
        received = min(received, timezone.now())
        chunk = people[back * count // 4 : (back + 1) * count // 4]
        if back == 1:
            path = workdir / f"stealer-{q}.zip"
            with zipfile.ZipFile(path, "w") as archive:
                for i, (org, login) in enumerate(chunk):
                    folder = f"AZ[{rng.randint(1000, 9999)}{i}]"
                    archive.writestr(
                        f"{folder}/System.txt",
                        f"Computer name: WS-{org.code.upper()[:8]}-{i:02d}\nUserName: {login.split('@')[0]}\n"
                        f"IP: 185.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(1, 250)}\n"
                        "Country: AZ\n"
                        f"OS: Windows 10 Pro x64\nLog date: {received:%d.%m.%Y %H:%M:%S}\nBuild: RedLine\n",
                    )
                    archive.writestr(
                        f"{folder}/Passwords.txt",
                        f"URL: https://mail.{login.split('@')[1]}/owa\nUsername: {login}\n"
                        f"Password: {_password(rng, rng.random() < 0.3)}\nApplication: "
                        "Google_[Chrome]_Default\n"
                        "===============\n"
                        f"URL: https://www.facebook.com/\nUsername: {login.split('@')[0]}@gmail.com\n"
                        f"Password: {_password(rng, False)}\n===============\n",
                    )
        elif back == 2:
            path = workdir / f"dump-{q}.csv"
            out = io.StringIO()
            out.write("url,username,password\n")
            for _org, login in chunk:
                out.write(
                    f"https://portal.{login.split('@')[1]}/login,{login},"
                    f"{_password(rng, rng.random() < 0.4)}\n"
                )
            for _ in range(200):
                out.write(
                    f"https://example.com,{rng.choice(FIRST)}{rng.randint(1, 999)}@{rng.choice(NOISE)},"
                    f"x{rng.randint(1, 99999)}\n"
                )
            path.write_text(out.getvalue(), encoding="utf-8")
        else:
            path = workdir / f"combo-{q}.txt"
            lines = [f"{login}:{_password(rng, rng.random() < 0.3)}" for _org, login in chunk]
            lines += [
                f"{rng.choice(FIRST)}{rng.randint(1, 9999)}@{rng.choice(NOISE)}:{_password(rng, False)}"
                for _ in range(2000)
            ]
            lines.append("broken line without separator")
            rng.shuffle(lines)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        leak = services.register_leak(
            actor=ctx.actor, name=f"{q} — {path.stem}", paths=[path], source="Telegram", leaked_on=q.start
        )
        services.ingest_leak(
            actor=ctx.actor, leak=leak, paths=[path], remove_files=True, received_at=received
        )
    # Institutions confirm most of the older accounts.
    for exposure in Exposure.objects.filter(state=ExposureState.NOTIFIED).order_by("id"):
        if exposure.first_seen_at.date() < quarter.start and rng.random() < 0.8:
            services.confirm_exposure(
                actor=ctx.actor,
                exposure=exposure,
                measures_done=[
                    Measure.RESET_PASSWORD,
                    Measure.ENFORCE_2FA,
                    *(m for m in exposure.measures if m == Measure.CHECK_DEVICE),
                ],
            )
    for org in orgs[: 8 if ctx.scale == "small" else 40]:
        domain = org.domains.all()[0].domain
        for back in range(3, -1, -1):
            q = quarter.previous(back)
            for i in range(rng.randint(5, 12)):
                enrolled = min(q.start + dt.timedelta(days=rng.randint(0, 60)), today)
                done = (
                    enrolled + dt.timedelta(days=rng.randint(1, 20))
                    if rng.random() < 0.5 + 0.1 * (3 - back)
                    else None
                )
                services.record_enrolment(
                    actor=ctx.actor,
                    organization=org,
                    course_code=f"kibergigiyena-{q}".lower(),
                    course=f"Kibergigiyena əsasları ({q})",
                    learner=f"staff{i}@{domain}",
                    enrolled_on=enrolled,
                    completed_on=min(done, today) if done else None,
                    score=Decimal(rng.randint(55, 100)) if done else None,
                )
            sent = rng.randint(40, 200)
            clicked = int(sent * rng.uniform(0.05, 0.3) * (1 - 0.15 * (3 - back)))
            services.record_phishing_result(
                actor=ctx.actor,
                organization=org,
                campaign=f"{q} fişinq təlimi",
                run_on=min(q.start + dt.timedelta(days=30), today),
                sent=sent,
                opened=int(sent * 0.6),
                clicked=clicked,
                submitted=clicked // 2,
                reported=int(sent * rng.uniform(0.1, 0.4)),
            )
