"""The base addon's step of the generated data set: partners (companies, then people)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from core.demo_data import CITIES, DataStep, Generated, Size, company_name, create_all, person_name
from core.env import Environment


def partners(env: Environment, spec: Size, rng: random.Random, out: Generated,
             commit: Callable[[], None]) -> list[int]:
    """Companies (one in five) first, then people, most of them contacts of a company. The
    first company's ``ref`` is :data:`core.demo_data.MARKER_REF`."""
    companies = max(spec.partners // 5, 1)

    def company_values() -> Iterator[dict[str, Any]]:
        for i in range(companies):
            city = rng.choice(CITIES)
            phone = f"0{rng.randint(10, 999)}-{rng.randint(10**7, 10**8 - 1)}"
            yield {"name": company_name(rng), "is_company": True, "ref": f"KD{i + 1:07d}",
                   "city": city, "phone": phone,
                   "email": f"info{i + 1}@example.cn", "street": f"{city}路{rng.randint(1, 999)}号"}

    company_ids = create_all(env, "res.partner", company_values(), commit)

    def person_values() -> Iterator[dict[str, Any]]:
        for i in range(companies, spec.partners):
            parent = rng.choice(company_ids) if rng.random() < 0.8 else None
            yield {"name": person_name(rng), "is_company": False, "ref": f"KD{i + 1:07d}",
                   "parent_id": parent, "city": rng.choice(CITIES),
                   "mobile": f"1{rng.randint(3, 9)}{rng.randint(10**8, 10**9 - 1)}",
                   "email": f"user{i + 1}@example.cn"}

    return company_ids + create_all(env, "res.partner", person_values(), commit)


DATA_STEPS = [DataStep("res.partner", partners, sequence=10, part="partners")]
