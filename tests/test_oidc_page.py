"""The sign-in form's second way in (spec/accounts.md: Signing in): with an [auth] section in
secrets, a button to the organisation's OIDC provider; back from it, the person is signed in
as the user of the same name, or told in Chinese why not. Without [auth] nothing changes."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.accounts.audit import AuditKind, read_audit
from tests.apptest import APP_PATH, app_user, open_app_page

OIDC_BUTTON = "使用单位统一身份认证登录"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string",
    "client_id": "platform",
    "client_secret": "secret",
    "server_metadata_url": "https://sso.example.edu.cn/.well-known/openid-configuration",
}


def provider_user(name: str, nonce: str = "n-1") -> dict:
    """st.user after the provider signed ``name`` in (the ID token's claims)."""
    return {
        "is_logged_in": True,
        "iss": "https://sso.example.edu.cn",
        "sub": f"id-{name}",
        "iat": 1,
        "nonce": nonce,
        "name": name,
    }


def app_with_provider(user: dict) -> AppTest:
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = user
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def labels(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def test_without_auth_secrets_the_form_is_unchanged(app_engine: Engine) -> None:
    app = open_app_page("pages/overview.py", role=None)

    assert OIDC_BUTTON not in labels(app)
    assert [field.label for field in app.text_input] == ["用户名", "密码"]


def test_with_auth_secrets_the_form_offers_the_provider(app_engine: Engine) -> None:
    app = app_with_provider({"is_logged_in": False})

    assert OIDC_BUTTON in labels(app)
    assert [field.label for field in app.text_input] == ["用户名", "密码"]  # passwords still work


def test_back_from_the_provider_a_known_name_is_signed_in_and_can_sign_out(app_engine: Engine) -> None:
    app_user("李老师", "province", province="河南省")

    app = app_with_provider(provider_user("李老师"))

    assert "退出登录" in labels(app) and not app.text_input  # the app, not the form
    signed_in = read_audit(app_engine, kind=AuditKind.SIGN_IN)
    assert (signed_in["actor"].iloc[-1], json.loads(signed_in["detail"].iloc[-1])["method"]) == (
        "李老师",
        "oidc",
    )

    app.button(key="sign_out").click().run()

    assert app.user == {"is_logged_in": False}  # st.logout: the provider's cookie is gone too
    assert [field.label for field in app.text_input] == ["用户名", "密码"]
    assert len(read_audit(app_engine, kind=AuditKind.SIGN_OUT)) == 1


def test_a_name_without_a_user_here_is_refused_with_a_chinese_message(app_engine: Engine) -> None:
    app_user("李老师", "admin")

    app = app_with_provider(provider_user("王同学"))

    assert [error.value for error in app.error] == [
        "统一身份认证的用户“王同学”在本平台没有对应的账号；请联系系统管理员开通同名账号，或改用用户名和密码登录。"
    ]
    assert OIDC_BUTTON in labels(app) and "退出登录" not in labels(app)
    app.run()  # a rerun shows the refusal again without a second attempt
    assert len(read_audit(app_engine, kind=AuditKind.SIGN_IN_FAILED)) == 1
