"""Demo users for the sample data, so that ``make run`` on a fresh machine can be signed in to.

Created only when the database has no user at all and holds no real institution (every name
in 高校名录 is a sample one, 示例…): their passwords are printed and public, so a real
installation never gets them by accident. It adds its own administrator instead (README).
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from core.accounts.roles import ROLE_LABELS, Role
from core.accounts.users import add_user, any_user
from core.models import Institution

DEMO_PROVINCE = "河南省"  # the sample data's largest province
DEMO_ACTOR = "示例账号初始化"
SAMPLE_NAME_PREFIX = "示例"  # sample_data/generate.py names every institution so
FIRST_ADMIN_HINT = (
    "数据库中还没有用户，且已有真实高校数据，不创建示例账号。请新建管理员："
    "python -m core.cli user add 用户名 --role admin --password-stdin < 密码文件"
)


def _demo_institution(engine: Engine) -> tuple[str, str] | None:
    """(code, name) of the first institution of the demo province in 高校名录, if any."""
    with engine.connect() as connection:
        return connection.execute(
            select(Institution.code, Institution.name)
            .where(Institution.province == DEMO_PROVINCE)
            .order_by(Institution.code)
            .limit(1)
        ).first()


def _holds_real_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        real = select(Institution.code).where(Institution.name.not_like(f"{SAMPLE_NAME_PREFIX}%")).limit(1)
        return connection.execute(real).first() is not None


def ensure_demo_users(engine: Engine) -> list[str]:
    """Create ``admin`` and one demo user of each other role when there is no user at all.

    Returns the lines to print (how to sign in); no lines when users already existed; a hint to
    add an administrator when real data is there. The 校级填报 demo user is left out when
    高校名录 has no institution of the demo province.
    """
    if any_user(engine):
        return []
    if _holds_real_data(engine):
        return [FIRST_ADMIN_HINT]
    school = _demo_institution(engine)
    demo = [
        ("admin", Role.ADMIN, None, None, "全部省份"),
        ("province", Role.PROVINCE, DEMO_PROVINCE, None, DEMO_PROVINCE),
        ("viewer", Role.VIEWER, DEMO_PROVINCE, None, DEMO_PROVINCE),
    ]
    if school is not None:
        code, school_name = school
        demo.append(("school", Role.INSTITUTION, None, code, f"{school_name} {code}"))
    lines = ["已创建示例账号（仅供试用示例数据；正式使用前请新建管理员并停用它们，见 README）："]
    for name, role, province, institution, where in demo:
        password = f"demo-{name}-2025"
        add_user(
            engine, name=name, role=role, password=password, province=province,
            institution=institution, actor=DEMO_ACTOR,
        )  # fmt: skip
        lines.append(f"  {ROLE_LABELS[role]}（{where}）：用户名 {name}  密码 {password}")
    return lines
